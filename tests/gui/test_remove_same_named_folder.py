"""File › Remove music folder with two folders that read the same (``caf\\xe9`` and
``caf\\xe8``, not valid UTF-8: both showed as ``caf\\ufffd``): the menu tells them apart, and
the entry picked is the folder removed — either entry removed the first one."""

from __future__ import annotations

import os
import shutil

import pytest

from gui_support import settle
from music_support import make_music
from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.library.queries import library_roots
from musicsage.usecases.library import scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_the_entry_picked_is_the_folder_removed(qtbot, make_window, ctx, tmp_path):
    from musicsage.usecases.embedding import embed_library

    _, _, paths = make_music(tmp_path / "src", n_tracks=5, seed=9)
    base = os.fsencode(tmp_path)
    e9, e8 = base + b"/caf\xe9", base + b"/caf\xe8"
    for folder, files in ((e9, paths[:3]), (e8, paths[3:])):
        os.makedirs(folder)
        for p in files:
            shutil.copy(p, os.path.join(folder, os.fsencode(p.name)))
    scan_library(ctx, [os.fsdecode(e9), os.fsdecode(e8)])
    embed_library(ctx, "spectral")
    w = make_window(ctx)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 5, timeout=30_000)

    menu = w.actions_.remove_folder
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions()]
    shown = os.fsdecode(tmp_path)
    assert texts == [f"{shown}/caf\\xe8  (2 tracks)", f"{shown}/caf\\xe9  (3 tracks)"]
    menu.adjustSize()
    menu.grab().save(str(tmp_path / "remove-folder-menu.png"))
    if os.environ.get("SWITCH2_PNG"):
        menu.grab().save(os.environ["SWITCH2_PNG"])

    asked = []
    w.confirm = lambda title, text: asked.append(text) or True
    menu.actions()[1].trigger()  # the second entry: caf\xe9, 3 tracks
    assert asked[0].startswith(f"Remove {shown}/caf\\xe9 from the library?")
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 2, timeout=30_000)
    settle(qtbot, w)
    assert library_roots(connect(ctx)) == [P.from_fs(e8)]
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()] == [f"{shown}/caf\ufffd  (2 tracks)"]
