"""Where the graph model computes: one device per run, chosen once, every tensor moved there.

The split of work follows what each part is built for:

- **Sampling stays on the CPU.** Random walks (``dgl.sampling.PinSAGESampler``, and the
  installed DGL is a CPU build), fold bookkeeping and block expansion are numpy/DGL on the
  CPU, and what they hand over is plain arrays: neighbour ids, visit counts, node ids.
- **The model and its inputs live on the device.** The encoder is built (and its weights
  initialised, from the CPU's random stream) on the CPU, then moved; the feature matrix is
  moved once per run; each step's sampled arrays go through :func:`to_device`. Code that
  needs the device asks the model (:func:`model_device`) rather than carrying a second copy
  of the choice around, so the two cannot disagree.
- **Checkpoints hold CPU tensors** (:mod:`~musicsage.graph.checkpoint` saves with ``.cpu()``
  and loads with ``map_location='cpu'``): a model trained on a GPU opens anywhere.

The choice itself (``auto``/``cpu``/``cuda``/``cuda:N``) is the same policy as the audio
networks' (:func:`musicsage.audio.device.resolve_device`). On the CPU every move here is a
no-op, so CPU results are those of a run that never heard of devices.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import torch


def model_device(model: torch.nn.Module) -> torch.device:
    """The device ``model``'s weights are on (where its inputs must go)."""
    for tensor in model.parameters():
        return tensor.device
    for tensor in model.buffers():
        return tensor.device
    return torch.device("cpu")


def to_device(array, device: torch.device | str) -> torch.Tensor:
    """``array`` (numpy or tensor) as a tensor on ``device``; numpy arrays share memory on
    the CPU (``torch.from_numpy``), so the CPU path copies nothing."""
    tensor = torch.from_numpy(array) if isinstance(array, np.ndarray) else torch.as_tensor(array)
    return tensor.to(device)


@contextlib.contextmanager
def reproducible_kernels(device: str) -> Iterator[None]:
    """torch's deterministic kernels for a run on the CPU, restored after.

    Why: with more than one torch thread, some of torch's CPU kernels add up in the order
    their threads finish, so two runs of one seed differed by ~1e-7 — enough to move early
    stopping — on any machine with 4 cores or more (training takes half of them; seen on a
    16-core machine, and here with 2 threads). The deterministic path costs about 2 % of a step here. A GPU is left alone:
    its deterministic kernels need ``CUBLAS_WORKSPACE_CONFIG`` set before CUDA starts, and
    a GPU run is close to, never bit-identical with, a CPU run anyway (docs/scale.md).
    The setting is torch's, process-wide: a second thread's torch work in the meantime
    runs deterministically too (only slower by as much).
    """
    if device != "cpu":
        yield
        return
    previous = (torch.are_deterministic_algorithms_enabled(),
                torch.is_deterministic_algorithms_warn_only_enabled())
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous[0], warn_only=previous[1])
