"""A neural audio model's dead unit — a column constant up to float32 rounding — must not be
blown up to the size of a real feature by either encoder's input scaling (the audio-only
baseline's ``zscore`` zeroes it; the encoders must not weigh rounding noise as music)."""
from __future__ import annotations

import numpy as np
import torch

from musicsage.graph.comember import CoMemberEncoder
from musicsage.graph.model import EncoderConfig, PinSageEncoder


def _features_with_a_dead_unit() -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4))
    x[:, 2] = 0.73 + rng.normal(scale=1e-8, size=400)  # a dead unit: rounding noise only
    return x.astype(np.float32)


def test_the_graph_encoder_leaves_a_dead_unit_near_zero():
    x = _features_with_a_dead_unit()
    model = PinSageEncoder(EncoderConfig(in_dim=4, n_contexts=1, dim=8, hidden=8))
    model.fit_inputs(x)
    z = model.standardise(torch.from_numpy(x)).numpy()
    assert np.abs(z[:, 2]).max() < 1e-5           # the noise stays noise
    assert z[:, [0, 1, 3]].std(0).min() > 0.4      # real features keep unit size / sqrt(4)


def test_the_comember_view_gives_a_dead_unit_no_weight():
    x = _features_with_a_dead_unit()
    encoder = CoMemberEncoder(4, 2, dim=4)
    encoder.set_feature_statistics(x)
    scale = encoder.inv_scale.numpy()
    assert scale[2] == 0 and (scale[[0, 1, 3]] > 0.5).all()


def test_an_exactly_constant_column_still_scales_as_before():
    """Exactly constant columns gave 0 before the rounding rule and still do, so the inputs of
    every benchmark data set (no near-constant columns) are unchanged."""
    x = _features_with_a_dead_unit()
    x[:, 2] = 5.0
    model = PinSageEncoder(EncoderConfig(in_dim=4, n_contexts=1, dim=8, hidden=8))
    model.fit_inputs(x)
    z = model.standardise(torch.from_numpy(x)).numpy()
    assert (z[:, 2] == 0).all()
    assert model.std[2] == 1.0  # a track placed later (another value there) is scaled as before
