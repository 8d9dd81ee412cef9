"""The MusiCNN network (Pons & Serra 2019) in PyTorch, layer for layer as in ``musicnn/models.py``.

Layout: a patch is (batch, time=187, mel=96). TensorFlow saw it as NHWC (batch, time, mel, 1);
here it is NCHW (batch, 1, time, mel), so H = time and W = mel throughout.

* Input BatchNorm over the single channel.
* Front-end, five branches on the normalised input, each Conv → ReLU → BatchNorm → max over
  the whole mel axis (so each yields (batch, filters, time)):
  - timbral: 204 filters of 7×38 and 7×67 (time × mel), 'valid', after zero-padding time by 3
    on each side (so the time length is kept);
  - temporal: 51 filters of 128×1, 64×1, 32×1 with TF 'same' padding. For an even kernel TF pads
    ``(k - 1) // 2`` before and the rest after (63/64, 31/32, 15/16): asymmetric, so it is done
    with an explicit F.pad, not Conv2d(padding=…).
  Concatenated: 204 + 204 + 3·51 = 561 channels.
* Mid-end: three Conv(7 in time, over all channels) → ReLU → BatchNorm with 64 filters, time
  zero-padded by 3; layers 2 and 3 add their input (residual). Dense connection: the front-end
  output and the three mid-end outputs are concatenated → 753 channels (= ``max_pool`` size).
* Back-end: max and mean over time, *interleaved* per channel ([max₀, mean₀, max₁, …],
  which is TF's flatten of the (753, 2) concat) → BatchNorm (1506) → Dense 200 + ReLU →
  BatchNorm (``penultimate``) → Dense 50 → sigmoid (the taggram). No dropout at inference.

BatchNorm epsilon is TF's default 1e-3 (PyTorch's is 1e-5): it matters for channels with a tiny
moving variance.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

TF_BN_EPS = 1e-3
N_MELS = 96
FRONTEND_CHANNELS = 561
MIDEND_FILTERS = 64
EMBEDDING_DIM = FRONTEND_CHANNELS + 3 * MIDEND_FILTERS  # 753
PENULTIMATE_UNITS = 200
N_TAGS = 50


def tf_same_padding(kernel: int) -> tuple[int, int]:
    """(before, after) zero padding TF's 'same' uses for a stride-1 kernel of this size."""
    total = kernel - 1
    return total // 2, total - total // 2


class MusicnnOutput(NamedTuple):
    max_pool: torch.Tensor      # (batch, 753): max over time of the mid-end features
    mean_pool: torch.Tensor     # (batch, 753)
    penultimate: torch.Tensor   # (batch, 200)
    taggram: torch.Tensor       # (batch, 50): tag probabilities (sigmoid)


class FrontendBranch(nn.Module):
    """Conv → ReLU → BatchNorm → max over the mel axis, with TF's time padding.

    Computed in a cheaper but identical order: ReLU and inference BatchNorm act per channel
    and are monotone (BN increasing where gamma ≥ 0, decreasing where gamma < 0), so
    ``max_f BN(ReLU(z))`` equals ``BN(ReLU(max_f z))`` or ``BN(ReLU(min_f z))``. Pooling the
    raw conv output first avoids three passes over the largest feature maps of the network
    (204 × time × 59 per patch); the results are the same numbers, since rounding is monotone
    too. The minimum is taken as a maximum: a channel whose gamma is negative is convolved
    with its weights and bias negated (``min z = -max(-z)``, exact in floating point, since
    negation commutes with every rounding), so one max pass serves every channel —
    ``aminmax`` over the short mel axis cost 2.4x as much and was a quarter of the network's
    time.

    On the CPU the conv and that max run as oneDNN ops (:func:`_pooled_onednn`): the same
    numbers in 20-35 % less time per branch (the network: 19 % less). Asymmetric TF 'same'
    padding (e.g. 63 before, 64 after) is done as the conv's own symmetric padding of the
    larger side plus a crop of the extra leading outputs, which saves copying the input into
    a padded buffer.
    """

    def __init__(self, filters: int, kernel: tuple[int, int],
                 time_padding: tuple[int, int]) -> None:
        super().__init__()
        before, after = time_padding
        symmetric = max(before, after)
        self.crop = symmetric - before  # leading outputs TF would not compute
        self.conv = nn.Conv2d(1, filters, kernel, padding=(symmetric, 0))
        self.bn = nn.BatchNorm2d(filters, eps=TF_BN_EPS)
        self._signed_cache: tuple | None = None  # (key, sign, weight, bias)

    def signed_parameters(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """(sign, weight, bias): +1 where gamma ≥ 0 (max), -1 where it is < 0 (min), and the
        conv's weights and bias with the latter channels negated.

        Without autograd they are cached while the parameters stay the same tensors at the
        same version (``load_state_dict`` and in-place updates bump it): recomputing them
        cost 1 % of an inference pass. The cache is one tuple, replaced whole, so inference
        lanes in other threads can share the module.
        """
        params = (self.conv.weight, self.conv.bias, self.bn.weight)
        key = tuple((p.data_ptr(), p._version, p.dtype) if p is not None else None
                    for p in params)
        cached = self._signed_cache
        if cached is not None and cached[0] == key and not torch.is_grad_enabled():
            return cached[1:]
        sign = torch.where(self.bn.weight >= 0, 1.0, -1.0).to(self.conv.weight.dtype)
        weight = self.conv.weight * sign[:, None, None, None]
        bias = self.conv.bias * sign if self.conv.bias is not None else None
        if not torch.is_grad_enabled():
            self._signed_cache = (key, sign, weight, bias)
        return sign, weight, bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        frames = x.shape[2]
        sign, weight, bias = self.signed_parameters()
        if _onednn_applies(x):
            signed_max = _pooled_onednn(x, weight, bias, self.conv.padding)
        else:
            z = F.conv2d(x, weight, bias, padding=self.conv.padding)
            signed_max = z.amax(dim=3)
        signed_max = signed_max[:, :, self.crop:self.crop + frames]
        pooled = F.relu(signed_max * sign[None, :, None])  # (batch, filters, time)
        return F.batch_norm(pooled, self.bn.running_mean, self.bn.running_var, self.bn.weight,
                            self.bn.bias, False, 0.0, self.bn.eps)


def _onednn_applies(x: torch.Tensor) -> bool:
    """The oneDNN path serves fp32 inference on the CPU (oneDNN tensors carry no autograd)."""
    return (x.device.type == "cpu" and x.dtype == torch.float32 and not torch.is_grad_enabled()
            and torch.backends.mkldnn.is_available())


def _pooled_onednn(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None,
                   padding: tuple[int, ...]) -> torch.Tensor:
    """Conv → max over the mel axis as oneDNN ops: (batch, filters, padded time).

    The same oneDNN convolution ``F.conv2d`` runs, and a max is exact whatever its order, so
    the numbers are identical; only the memory traffic differs. oneDNN computes the map in
    its blocked layout (16 channels interleaved); ``F.conv2d`` then reorders the whole map
    (≈ 9 MB per patch for a timbral branch) into NCHW, and ``amax`` over the 59-wide inner
    axis reads it again at memory speed — together ≈ 20 % of the branch. Kept as a oneDNN
    tensor, the map is pooled by oneDNN's max pool (vectorised across the channel block)
    without the reorder; only the small pooled result is converted back. Measured single
    threaded, passes of 2 patches: timbral 74 15.7 → 12.0 ms per patch, timbral 77 13.5 →
    10.7, temporal 3.1/2.1/1.4 → 2.6/1.6/1.0 (docs/scale.md).
    """
    z = torch.mkldnn_convolution(x.contiguous().to_mkldnn(), weight, bias, list(padding),
                                 [1, 1], [1, 1], 1)  # stride, dilation, groups
    return F.max_pool2d(z, (1, z.shape[3])).to_dense()[:, :, :, 0]


class MidendLayer(nn.Module):
    """Conv over (7 frames × all channels) → ReLU → BatchNorm; a 1-D conv along time."""

    def __init__(self, in_channels: int, filters: int = MIDEND_FILTERS) -> None:
        super().__init__()
        self.conv = nn.Conv1d(in_channels, filters, 7, padding=3)
        self.bn = nn.BatchNorm1d(filters, eps=TF_BN_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(F.relu(self.conv(x)))


class Musicnn(nn.Module):
    """MSD_musicnn / MTT_musicnn (same architecture; the checkpoints differ)."""

    def __init__(self, n_tags: int = N_TAGS, n_mels: int = N_MELS) -> None:
        super().__init__()
        timbral_filters, temporal_filters = int(1.6 * 128), int(1.6 * 32)
        self.input_bn = nn.BatchNorm2d(1, eps=TF_BN_EPS)
        self.timbral_74 = FrontendBranch(timbral_filters, (7, int(0.4 * n_mels)), (3, 3))
        self.timbral_77 = FrontendBranch(timbral_filters, (7, int(0.7 * n_mels)), (3, 3))
        self.temporal_128 = FrontendBranch(temporal_filters, (128, 1), tf_same_padding(128))
        self.temporal_64 = FrontendBranch(temporal_filters, (64, 1), tf_same_padding(64))
        self.temporal_32 = FrontendBranch(temporal_filters, (32, 1), tf_same_padding(32))
        frontend = 2 * timbral_filters + 3 * temporal_filters
        self.mid1 = MidendLayer(frontend)
        self.mid2 = MidendLayer(MIDEND_FILTERS)
        self.mid3 = MidendLayer(MIDEND_FILTERS)
        pooled = frontend + 3 * MIDEND_FILTERS
        self.pool_bn = nn.BatchNorm1d(2 * pooled, eps=TF_BN_EPS)
        self.penultimate_dense = nn.Linear(2 * pooled, PENULTIMATE_UNITS)
        self.penultimate_bn = nn.BatchNorm1d(PENULTIMATE_UNITS, eps=TF_BN_EPS)
        self.tag_dense = nn.Linear(PENULTIMATE_UNITS, n_tags)

    def features(self, patches: torch.Tensor) -> torch.Tensor:
        """(batch, time, mel) log-mel patches → (batch, 753, time) mid-end feature map."""
        x = self.input_bn(patches.unsqueeze(1))
        frontend = torch.cat([self.timbral_74(x), self.timbral_77(x), self.temporal_128(x),
                              self.temporal_64(x), self.temporal_32(x)], dim=1)
        mid1 = self.mid1(frontend)
        mid2 = self.mid2(mid1) + mid1
        mid3 = self.mid3(mid2) + mid2
        return torch.cat([frontend, mid1, mid2, mid3], dim=1)

    def forward(self, patches: torch.Tensor) -> MusicnnOutput:
        feature_map = self.features(patches)
        max_pool = feature_map.amax(dim=2)
        mean_pool = feature_map.mean(dim=2)
        pooled = torch.stack([max_pool, mean_pool], dim=2).flatten(1)  # interleaved, as TF
        penultimate = self.penultimate_bn(F.relu(self.penultimate_dense(self.pool_bn(pooled))))
        taggram = torch.sigmoid(self.tag_dense(penultimate))
        return MusicnnOutput(max_pool, mean_pool, penultimate, taggram)


# TF variable scope (by layer creation order in the original) → module of :class:`Musicnn`.
TF_LAYER_TO_MODULE: dict[str, str] = {
    "batch_normalization": "input_bn",
    "conv2d": "timbral_74.conv", "batch_normalization_1": "timbral_74.bn",
    "conv2d_1": "timbral_77.conv", "batch_normalization_2": "timbral_77.bn",
    "conv2d_2": "temporal_128.conv", "batch_normalization_3": "temporal_128.bn",
    "conv2d_3": "temporal_64.conv", "batch_normalization_4": "temporal_64.bn",
    "conv2d_4": "temporal_32.conv", "batch_normalization_5": "temporal_32.bn",
    "conv2d_5": "mid1.conv", "batch_normalization_6": "mid1.bn",
    "conv2d_6": "mid2.conv", "batch_normalization_7": "mid2.bn",
    "conv2d_7": "mid3.conv", "batch_normalization_8": "mid3.bn",
    "batch_normalization_9": "pool_bn",
    "dense": "penultimate_dense", "batch_normalization_10": "penultimate_bn",
    "dense_1": "tag_dense",
}
