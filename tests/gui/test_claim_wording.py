"""The window's refusal to show a library another window holds says it in the words a
second launch uses ("the library … is already open in another window (process N)")."""

from __future__ import annotations

import os

import pytest

from musicsage.gui.single_instance import LibraryClaims, SingleInstance, open_elsewhere


@pytest.fixture
def run_dir(tmp_path, monkeypatch):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def test_the_wording_names_the_library_and_the_process(tmp_path):
    assert open_elsewhere(tmp_path, 42) == (
        f"library {tmp_path} is already open in another window (process 42)")
    assert open_elsewhere(tmp_path, None, "session") == (
        f"library {tmp_path} is already open in another session")


def test_a_library_held_elsewhere_is_refused_in_one_line(qtbot, ctx, tmp_path, run_dir):
    from musicsage.context import AppContext

    other = AppContext.create(tmp_path / "other")
    holder = SingleInstance(other.data_dir)  # another window shows it
    assert holder.claim()
    claims = LibraryClaims(SingleInstance(ctx.data_dir))
    try:
        assert claims.claim(other) == (
            f"The library {other.data_dir} is already open in another window "
            f"(process {os.getpid()}): switch to that window")
    finally:
        claims.release()
        holder.release()
