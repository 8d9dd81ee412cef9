"""``--device cuda:N`` beyond the machine's GPUs names the ones there are and what to pass.

It said "this machine has 1 CUDA GPU(s) (cuda:0 … cuda:0)", and nothing to do about it.
Torch's count of GPUs is set here: no GPU is needed.
"""

from __future__ import annotations

import pytest

from musicsage.audio import device
from musicsage.audio.device import DeviceUnavailable, resolve_device


@pytest.mark.parametrize("count, said", [
    (1, "--device cuda:3: this machine has 1 CUDA GPU (cuda:0): pass --device cuda:0, or "
        "--device auto"),
    (2, "--device cuda:3: this machine has 2 CUDA GPUs (cuda:0 and cuda:1): pass one of them, "
        "or --device auto"),
    (3, "--device cuda:3: this machine has 3 CUDA GPUs (cuda:0 to cuda:2): pass one of them, "
        "or --device auto"),
])
def test_a_gpu_index_past_the_last_is_refused_with_a_way_out(monkeypatch, count, said):
    monkeypatch.setattr(device, "_cuda_device_count", lambda: count)
    with pytest.raises(DeviceUnavailable) as caught:
        resolve_device("cuda:3")
    assert str(caught.value) == said
    assert resolve_device(f"cuda:{count - 1}") == f"cuda:{count - 1}"
