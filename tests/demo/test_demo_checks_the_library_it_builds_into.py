"""``musicsage demo`` without ``--data-dir`` builds into the demo's own library (DATA/demo),
but its checks before the build looked at the user's default library: a damaged
``library.sqlite3`` of the user's refused the demo ("the library database … is damaged"),
though the demo never touches that library."""

from __future__ import annotations

import argparse

import pytest

from musicsage.commands.registry import check_demo_first
from musicsage.context import default_data_dir
from musicsage.errors import MusicsageError


def _args(**given) -> argparse.Namespace:
    return argparse.Namespace(**{"data_dir": None, "tracks": 8, "seed": 0, "seconds": 1.0,
                                 "dir": None, "until": None, **given})


@pytest.fixture
def damaged_default(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = default_data_dir()
    assert str(default).startswith(str(tmp_path))
    default.mkdir(parents=True)
    (default / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    return default


def test_a_damaged_default_library_does_not_refuse_the_demos_own(damaged_default):
    check_demo_first(_args())  # refused nothing: the demo's library is DATA/demo
    assert not (damaged_default / "demo").exists(), "the checks make nothing"


def test_the_library_named_is_still_checked(damaged_default):
    with pytest.raises(MusicsageError, match="damaged|not a database|cannot be read"):
        check_demo_first(_args(data_dir=str(damaged_default)))
