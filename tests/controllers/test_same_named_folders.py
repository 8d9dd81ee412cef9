"""Two music folders whose names are not valid UTF-8 and differ only there (``caf\\xe9`` and
``caf\\xe8``) both read ``caf\\ufffd``: File › Remove music folder listed two identical entries,
and either one removed the first folder (the second could not be removed from the window)."""

from __future__ import annotations

import os
import shutil

import pytest
from music_support import make_music

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.library.forget import forget_root
from musicsage.library.queries import library_roots
from musicsage.usecases.library import scan_library


def same_named_folders(ctx, tmp_path) -> tuple[bytes, bytes]:
    """caf\\xe9 (3 tracks) and caf\\xe8 (2 tracks), scanned into ``ctx``."""
    _, _, paths = make_music(tmp_path / "src", n_tracks=5, seconds=1.0, seed=9)
    e9, e8 = os.fsencode(tmp_path) + b"/caf\xe9", os.fsencode(tmp_path) + b"/caf\xe8"
    for folder, files in ((e9, paths[:3]), (e8, paths[3:])):
        os.makedirs(folder)
        for p in files:
            shutil.copy(p, os.path.join(folder, os.fsencode(p.name)))
    scan_library(ctx, [os.fsdecode(e9), os.fsdecode(e8)])
    return e9, e8


@pytest.mark.parametrize("pick", [0, 1])
def test_the_picked_folder_is_the_one_removed(ctx, make_app, tmp_path, pick):
    e9, e8 = same_named_folders(ctx, tmp_path)
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    names = [name for name, _n in app.library.folders()]
    base = os.fsdecode(tmp_path)
    assert names == [base + "/caf\\xe8", base + "/caf\\xe9"], "two entries told apart"
    name, tracks = app.library.folders()[pick]
    app.library.forget(name)
    runner.drain()
    assert app.notifications[-1] == (
        "info", f"Removed {name} from the library: {tracks} tracks left it (no file was "
                "touched)")
    kept = e9 if pick == 0 else e8
    assert library_roots(connect(ctx)) == [P.from_fs(kept)]
    assert [n for _name, n in app.library.folders()] == [5 - tracks]


def test_a_name_both_folders_read_as_is_refused_naming_them(ctx, tmp_path):
    """``forget '…/caf\\ufffd'`` (the command line, a script) must not pick one at random."""
    e9, _e8 = same_named_folders(ctx, tmp_path)
    conn = connect(ctx)
    with pytest.raises(MusicsageError, match=r"caf\\xe8, .*caf\\xe9\)"):
        forget_root(conn, P.display(P.from_fs(e9)))
    assert len(library_roots(conn)) == 2
    forget_root(conn, os.fsdecode(e9))  # its real path names it exactly
    assert library_roots(conn) == [P.from_fs(_e8)]
