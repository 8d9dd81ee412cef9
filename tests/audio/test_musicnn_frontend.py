"""The front-end branches' fast computation (signed max pooled before ReLU/BN; on the CPU, conv
and pooling as oneDNN tensors) against the layer order of the original: conv with TF's
asymmetric 'same' padding → ReLU → BatchNorm → max over the mel axis, with plain PyTorch ops.
Random weights (no wheel needed), with negative BatchNorm gammas so that the min/max sign trick
is exercised."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from musicsage.audio.musicnn import model as musicnn_model
from musicsage.audio.musicnn.model import FrontendBranch, tf_same_padding

BRANCHES = {  # name → (filters, kernel (time, mel), TF time padding), as Musicnn builds them
    "timbral_74": (204, (7, 38), (3, 3)),
    "timbral_77": (204, (7, 67), (3, 3)),
    "temporal_128": (51, (128, 1), tf_same_padding(128)),
    "temporal_64": (51, (64, 1), tf_same_padding(64)),
    "temporal_32": (51, (32, 1), tf_same_padding(32)),
}


def random_branch(filters: int, kernel: tuple[int, int], padding: tuple[int, int],
                  seed: int) -> FrontendBranch:
    torch.manual_seed(seed)
    branch = FrontendBranch(filters, kernel, padding).eval()
    with torch.no_grad():
        branch.conv.weight.normal_(0.0, 0.05)
        branch.conv.bias.normal_(0.0, 0.1)
        branch.bn.weight.normal_(0.0, 1.0)  # about half the gammas negative
        branch.bn.bias.normal_(0.0, 0.5)
        branch.bn.running_mean.normal_(0.0, 0.2)
        branch.bn.running_var.uniform_(0.01, 2.0)
    negative = int((branch.bn.weight < 0).sum())
    assert filters // 4 < negative < filters - filters // 4
    return branch


def reference(branch: FrontendBranch, x: torch.Tensor, padding: tuple[int, int]) -> torch.Tensor:
    """The original's order on the whole feature map: (batch, 1, time, mel) → (batch, F, time)."""
    padded = F.pad(x, (0, 0, *padding))  # time: TF's (before, after)
    z = F.conv2d(padded, branch.conv.weight, branch.conv.bias)
    assert z.shape[2] == x.shape[2]
    bn = branch.bn
    normed = F.batch_norm(F.relu(z), bn.running_mean, bn.running_var, bn.weight, bn.bias,
                          False, 0.0, bn.eps)
    return normed.amax(dim=3)


@pytest.mark.parametrize("name", list(BRANCHES))
def test_branch_equals_conv_relu_bn_max_reference(name):
    filters, kernel, padding = BRANCHES[name]
    branch = random_branch(filters, kernel, padding, seed=len(name))
    x = torch.rand(3, 1, 187, 96) * 4 - 1  # log-mel-like values after the input BatchNorm
    with torch.inference_mode():
        assert musicnn_model._onednn_applies(x) == torch.backends.mkldnn.is_available()
        fast = branch(x)  # the path inference takes on this machine (oneDNN on a CPU build)
        want = reference(branch, x, padding)
    with torch.enable_grad():
        assert not musicnn_model._onednn_applies(x)
        plain = branch(x).detach()  # the dense-conv path (what a GPU runs)
    assert fast.shape == want.shape == (3, filters, 187)
    torch.testing.assert_close(fast, want, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(plain, want, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(fast, plain, rtol=0, atol=0)  # one conv, pooled two ways


def test_short_and_single_patch_inputs_follow_the_same_padding():
    filters, kernel, padding = BRANCHES["temporal_128"]
    branch = random_branch(filters, kernel, padding, seed=7)
    for frames in (1, 48, 300):
        x = torch.rand(1, 1, frames, 96)
        with torch.inference_mode():
            torch.testing.assert_close(branch(x), reference(branch, x, padding),
                                       rtol=1e-6, atol=1e-6)


def test_cached_signed_weights_follow_changed_parameters():
    """The signed weights are cached between inference passes; new weights (an in-place
    change, a loaded state dict) must be seen by the next pass."""
    filters, kernel, padding = BRANCHES["timbral_74"]
    branch = random_branch(filters, kernel, padding, seed=3)
    x = torch.rand(2, 1, 187, 96)
    with torch.inference_mode():
        before = branch(x)
    with torch.no_grad():
        branch.bn.weight.neg_()  # every max becomes a min and back
        branch.conv.weight.mul_(1.5)
    with torch.inference_mode():
        torch.testing.assert_close(branch(x), reference(branch, x, padding), rtol=1e-6, atol=1e-6)
    other = random_branch(filters, kernel, padding, seed=4)
    branch.load_state_dict(other.state_dict())
    with torch.inference_mode():
        after = branch(x)
        torch.testing.assert_close(after, reference(other, x, padding), rtol=1e-6, atol=1e-6)
    assert not torch.allclose(before, after)
