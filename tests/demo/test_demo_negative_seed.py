"""A negative ``--seed`` is refused in one line, before anything is made: numpy's seeding
refused it deep in the plan, and ``musicsage demo --seed -1`` ended in "unexpected error
(ValueError: expected non-negative integer); this is a bug"."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.usecases.demo import build_demo, check_demo


def test_a_negative_seed_is_refused_in_one_line(ctx):
    with pytest.raises(MusicsageError, match="seed must be 0 or more"):
        check_demo(ctx, n_tracks=8, seed=-1, seconds=1.0)
    with pytest.raises(MusicsageError, match="seed must be 0 or more"):
        build_demo(ctx, n_tracks=8, seed=-1, seconds=1.0, until="generate")
    assert not (ctx.data_dir / "demo-music").exists(), "nothing was made"
