"""Where the audio networks run: ``--device auto|cpu|cuda|cuda:N`` (the graph model's
``train``/``eval --device`` use the same policy, :mod:`musicsage.graph.device`).

``auto`` (the default) takes the first CUDA GPU when torch sees one and the CPU otherwise, so
nothing ever requires a GPU. Asking for ``cuda`` on a machine without one is refused with one
line that says so and what to pass instead, rather than failing later inside torch.
"""

from __future__ import annotations

import re

from musicsage.errors import MusicsageError

_CUDA = re.compile(r"^cuda(?::(\d+))?$")


class DeviceUnavailable(MusicsageError):
    """A device was asked for that this machine does not have, or is not a device name."""


def resolve_device(requested: str | None, *, uses_torch: bool = True) -> str:
    """``cpu``, ``cuda`` or ``cuda:N`` for ``requested`` (None and ``auto`` choose).

    ``uses_torch=False`` (a model computed with numpy alone) always runs on the CPU, but a
    request for a GPU the machine lacks is still refused, so a typo is never silently ignored.
    """
    name = (requested or "auto").strip().lower()
    if name == "cpu":
        return "cpu"
    match = _CUDA.match(name)
    if name != "auto" and match is None:
        raise DeviceUnavailable(f"unknown device {requested!r}: use auto, cpu, cuda or cuda:N")
    if name == "auto" and not uses_torch:
        return "cpu"
    count = _cuda_device_count()
    if name == "auto":
        return "cuda" if count else "cpu"
    if count == 0:
        raise DeviceUnavailable(f"--device {name}: no CUDA GPU is available here (torch sees "
                                "none); use --device cpu or --device auto")
    index = int(match.group(1)) if match.group(1) is not None else 0
    if index >= count:  # "has 1 CUDA GPU(s) (cuda:0 … cuda:0)" named no way out
        which = "--device cuda:0" if count == 1 else "one of them"
        raise DeviceUnavailable(f"--device {name}: this machine has {_gpus(count)}: pass "
                                f"{which}, or --device auto")
    return "cpu" if not uses_torch else name


def _gpus(count: int) -> str:
    """``1 CUDA GPU (cuda:0)``, ``2 CUDA GPUs (cuda:0 and cuda:1)``, ``4 CUDA GPUs (cuda:0 to
    cuda:3)``: the devices there are, by the names ``--device`` takes."""
    if count == 1:
        return "1 CUDA GPU (cuda:0)"
    names = "cuda:0 and cuda:1" if count == 2 else f"cuda:0 to cuda:{count - 1}"
    return f"{count} CUDA GPUs ({names})"


def _cuda_device_count() -> int:
    import torch

    try:
        return torch.cuda.device_count() if torch.cuda.is_available() else 0
    except Exception:  # a broken driver install: as good as no GPU
        return 0
