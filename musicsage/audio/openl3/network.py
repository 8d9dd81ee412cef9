"""OpenL3's audio network in PyTorch, front-end included (imports torch: load lazily).

Front-end — the kapre 0.1.4 layers the weights were trained behind (not openl3 0.4's):

- mel (mel256/mel128): STFT n_dft 2048, hop 242 over one 48,000-sample frame with TF 'same'
  padding (982 zeros each side → 199 frames), periodic Hann; power |X|² → × mel matrix →
  sqrt; then dB.
- linear: STFT n_dft 512, hop 242, 'valid' (197 frames) → |X| → dB (257 bins).
- dB (kapre's ``amplitude_to_decibel``): ``10·log10(max(x, 1e-10))``, minus the example's
  maximum, floored at −80.

The STFT is computed with ``torch.stft`` (same transform as kapre's DFT-as-convolution, a
fraction of its cost). Output ``[B, 1, bins, frames]`` is Keras' ``(bins, frames, 1)`` HWC image.

Network: BN(input) → 3 × ([Conv3×3 'same' + BN + ReLU] × 2 → MaxPool 2) with 64/128/256
channels → Conv 512 + BN + ReLU → Conv 512 (``audio_embedding_layer``) → MaxPool
(variant-specific) → flatten in Keras' channels-last (H, W, C) order. BN eps 1e-3 (Keras').
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from musicsage.audio.dsp import periodic_hann
from musicsage.audio.openl3.filters import (LINEAR_N_DFT, MEL_N_DFT, N_HOP, SAMPLE_RATE,
                                            mel_filterbank)
from musicsage.audio.openl3.variants import INPUT_BINS, Variant

FRAME_SAMPLES = SAMPLE_RATE  # one 1-s frame
BN_EPS = 1e-3
CONV_CHANNELS = (64, 64, 128, 128, 256, 256, 512, 512)
"""Output channels of the eight 3×3 convolutions, in file order."""


class KapreFrontEnd(nn.Module):
    """``[B, 48000]`` waveforms → ``[B, 1, bins, frames]`` dB spectrogram (kapre 0.1.4)."""

    def __init__(self, input_repr: str) -> None:
        super().__init__()
        self.input_repr = input_repr
        if input_repr.startswith("mel"):
            self.n_dft = MEL_N_DFT
            n_frames = -(-FRAME_SAMPLES // N_HOP)  # TF 'same': ceil(len / hop) = 199
            total_pad = max((n_frames - 1) * N_HOP + self.n_dft - FRAME_SAMPLES, 0)
            self.pad = (total_pad // 2, total_pad - total_pad // 2)  # (982, 982)
            mel = mel_filterbank(INPUT_BINS[input_repr])  # [1025, n_mels]
            self.register_buffer("mel_t", torch.from_numpy(np.ascontiguousarray(mel.T)),
                                 persistent=False)
        elif input_repr == "linear":
            self.n_dft = LINEAR_N_DFT
            self.pad = (0, 0)  # 'valid'
            self.mel_t = None
        else:
            raise ValueError(f"unknown input_repr {input_repr!r}")
        self.register_buffer("window", torch.from_numpy(periodic_hann(self.n_dft).copy()),
                             persistent=False)

    def forward(self, wave: torch.Tensor) -> torch.Tensor:
        x = wave.float()
        if any(self.pad):
            x = nn.functional.pad(x, self.pad)
        spec = torch.stft(x, n_fft=self.n_dft, hop_length=N_HOP, win_length=self.n_dft,
                          window=self.window, center=False, onesided=True, return_complex=True)
        power = spec.real.square() + spec.imag.square()  # [B, bins, frames]
        if self.mel_t is not None:
            amplitude = torch.sqrt(torch.matmul(self.mel_t, power))  # sqrt(mel · |X|²)
        else:
            amplitude = torch.sqrt(power)  # |X|
        db = 10.0 * torch.log10(torch.clamp(amplitude, min=1e-10))
        db = db - db.amax(dim=(1, 2), keepdim=True)
        db = torch.clamp(db, min=-80.0)
        return db.unsqueeze(1)


class OpenL3AudioNet(nn.Module):
    """Waveform frames ``[B, 48000]`` at 48 kHz → embeddings ``[B, embedding_size]``.

    Parameter names (``input_bn``, ``convs.N``, ``bns.N``) are this port's own; the Keras
    loader (:mod:`musicsage.audio.openl3.keras_h5`) maps the h5 layers onto them by order.
    """

    def __init__(self, variant: Variant) -> None:
        super().__init__()
        self.variant = variant
        self.frontend = KapreFrontEnd(variant.input_repr)
        self.input_bn = nn.BatchNorm2d(1, eps=BN_EPS)
        convs, bns = [], []
        c_in = 1
        for i, c_out in enumerate(CONV_CHANNELS):
            convs.append(nn.Conv2d(c_in, c_out, 3, padding=1))
            if i < len(CONV_CHANNELS) - 1:  # audio_embedding_layer has no BN/ReLU
                bns.append(nn.BatchNorm2d(c_out, eps=BN_EPS))
            c_in = c_out
        self.convs = nn.ModuleList(convs)
        self.bns = nn.ModuleList(bns)
        self.pool = nn.MaxPool2d(2, 2)
        self.embedding_pool = nn.MaxPool2d(variant.pool_size, variant.pool_size)
        self.channels_last = False

    def spectrogram(self, wave: torch.Tensor) -> torch.Tensor:
        return self.frontend(wave)

    def forward_spectrogram(self, x: torch.Tensor) -> torch.Tensor:
        """``[B, 1, bins, frames]`` → ``[B, embedding_size]`` (the network after the front-end)."""
        x = self.input_bn(x)
        for i, conv in enumerate(self.convs):
            x = conv(x)
            if i < len(self.bns):
                x = torch.relu(self.bns[i](x))
            if i in (1, 3, 5):
                x = self.pool(x)
        x = self.embedding_pool(x)
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # Keras Flatten: (H, W, C)

    def forward(self, wave: torch.Tensor) -> torch.Tensor:
        x = self.frontend(wave)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return self.forward_spectrogram(x)

    def use_channels_last(self, enabled: bool = True) -> "OpenL3AudioNet":
        """NHWC activations: the layout oneDNN (CPU) and cuDNN convolutions run fastest in."""
        self.channels_last = enabled
        return self.to(memory_format=torch.channels_last if enabled else torch.contiguous_format)


def count_parameters(model: nn.Module) -> int:
    """Learned parameters plus BN running statistics (what the h5 file holds)."""
    params = sum(p.numel() for p in model.parameters())
    stats = sum(b.numel() for name, b in model.named_buffers()
                if name.endswith(("running_mean", "running_var")))
    return params + stats
