"""Fixtures shared by the graph tests: one torch thread, a small generated dataset dir."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _one_thread():
    """One torch thread: on a shared 2-core machine two threads spin against each other."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)

@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """A dataset dir (tracks.csv, memberships.csv, features.npy) with a hidden taste."""
    from musicsage.graph.synthetic import hidden_factor_data, write_dataset_dir

    data = hidden_factor_data(n_tracks=200, n_playlists=24)
    return write_dataset_dir(data, tmp_path_factory.mktemp("ds") / "small")
