"""Cancelling the first scan of a big folder (a home folder) shows the tracks it kept.

A scan commits what it read in batches and records the folder first, so a cancelled one has
filled the library; the window went on showing the welcome page of an empty library, without
a word, until the next start showed the tracks and the folder the user thought cancelled.
It now reads the library again and says what was kept and how to go on.
"""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace

import numpy as np
import soundfile as sf

from gui_support import settle
from musicsage.controllers.scan_cancelled import FOLDER_WORDS, RESCAN_LINE, scan_cancelled_line
from musicsage.library import paths as P
from musicsage.library import tags
from musicsage.usecases.library import scan_library
from musicsage.usecases.snapshot import LibrarySnapshot

KEPT_LINE = ("Scan cancelled: the tracks read so far are kept; the folder stays in the library: "
             "Rescan reads the rest, or File ▸ Remove music folder… takes it out")


def _folder_of_wavs(folder, count: int, samples: int = 800) -> None:
    folder.mkdir(exist_ok=True)
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(samples) / 8000)
    for i in range(count):
        sf.write(folder / f"track {i:03d}.wav", tone, 8000)


def _held_after(monkeypatch, count: int) -> tuple[threading.Event, threading.Event]:
    """The scan's file reads held at the ``count``-th until the second event is set (the
    first: reached); reads before and after go on as ever."""
    reached, go = threading.Event(), threading.Event()
    probed = []
    real_probe = tags.probe

    def probe(*args, **kwargs):
        probed.append(args)
        if len(probed) == count:
            reached.set()
            go.wait(30)
        return real_probe(*args, **kwargs)

    monkeypatch.setattr(tags, "probe", probe)
    return reached, go


def test_a_cancelled_first_scan_shows_the_tracks_it_kept_and_says_so(
        qtbot, make_window, ctx, tmp_path, monkeypatch):
    music = tmp_path / "home"
    _folder_of_wavs(music, 130)
    reached, go = _held_after(monkeypatch, 110)  # after its first batch (100 files)
    w = make_window(ctx)
    assert w.app.page == "welcome"
    task = w.app.library.scan([str(music)])
    qtbot.waitUntil(reached.is_set, timeout=60_000)
    task.cancel()
    go.set()
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == KEPT_LINE, timeout=30_000)
    settle(qtbot, w)
    assert task.state == "cancelled"
    assert w.app.page != "welcome"  # not "Welcome", "Add your music folder…" as if empty
    assert 100 <= len(w.app.library.snapshot.tracks) < 130
    assert [folder for folder, _count in w.app.library.folders()] == [str(music)]


def test_a_cancelled_rescan_of_a_folder_in_the_library_says_what_it_read_is_kept(
        qtbot, make_window, ctx, tmp_path, monkeypatch):
    """Re-reading 100 changed files of a folder already in the library, then cancelled: they
    are kept, though no track or folder was added ("before it added anything" said not)."""
    music = tmp_path / "home"
    _folder_of_wavs(music, 130)
    scan_library(ctx, [str(music)])
    _folder_of_wavs(music, 130, samples=1600)  # every file changed since
    reached, go = _held_after(monkeypatch, 110)
    w = make_window(ctx)
    task = w.app.library.scan([str(music)])
    qtbot.waitUntil(reached.is_set, timeout=60_000)
    task.cancel()
    go.set()
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == RESCAN_LINE, timeout=30_000)
    assert task.state == "cancelled"


def _snapshot(folders: list[str], tracks: int) -> LibrarySnapshot:
    """A library as the window shows it: ``tracks`` tracks in ``folders``."""
    return LibrarySnapshot(stats=None, tracks=[SimpleNamespace(id=i) for i in range(tracks)],
                           playlists=[], memberships=[], audio_model=None, graph_model=None,
                           folders=[(folder, tracks) for folder in folders])


def test_after_a_switch_from_the_demo_a_scan_cancelled_at_once_says_it_added_nothing(
        tmp_path):
    """The user's library (not the demo's shown before) has tracks already: they are no sign
    that the scan kept any ("the tracks read so far are kept" was said of none)."""
    mine, new = tmp_path / "mine", tmp_path / "new"
    mine.mkdir()
    new.mkdir()
    after = _snapshot([str(mine)], 50)
    assert scan_cancelled_line([str(new)], [], None, after) == (
        "Scan cancelled before it added anything")
    assert scan_cancelled_line([str(new)], [], None, _snapshot([str(mine), str(new)], 60)) == (
        f"Scan cancelled: what it read so far is kept; {FOLDER_WORDS}")


def test_a_cancelled_scan_is_worded_by_what_was_added(tmp_path):
    """Dropped files are no folder that stays; several folders stay as "the folders"."""
    (tmp_path / "a.wav").write_bytes(b"")
    (tmp_path / "b.wav").write_bytes(b"")
    folders = [tmp_path / "one", tmp_path / "two"]
    for folder in folders:
        folder.mkdir()
    before = _snapshot([], 0)
    files = [str(tmp_path / "a.wav"), str(tmp_path / "b.wav")]
    assert scan_cancelled_line(files, [], before, _snapshot([], 2)) == (
        "Scan cancelled: the tracks read so far are kept; Rescan reads the rest")
    assert scan_cancelled_line([str(f) for f in folders], [], before,
                               _snapshot([str(f) for f in folders], 2)) == (
        "Scan cancelled: the tracks read so far are kept; the folders stay in the library: "
        "Rescan reads the rest, or File ▸ Remove music folder… takes them out")


def test_the_remove_advice_names_only_folders_the_scan_added(tmp_path):
    """An old folder given again beside a new one is not "taken out" with it; a new folder
    that folded an old one in has no Remove advice at all (it would take the old tracks)."""
    old, new, parent = tmp_path / "old", tmp_path / "new", tmp_path / "parent"
    for folder in (old, new, parent / "sub"):
        folder.mkdir(parents=True)
    kept = "Scan cancelled: the tracks read so far are kept; "
    assert scan_cancelled_line([str(old), str(new)], [], _snapshot([str(old)], 50),
                               _snapshot([str(old), str(new)], 60)) == kept + FOLDER_WORDS
    assert scan_cancelled_line([str(parent)], [], _snapshot([str(parent / "sub")], 50),
                               _snapshot([str(parent)], 55)) == kept + "Rescan reads the rest"


def test_a_cancelled_scan_of_a_folder_named_in_latin1_is_compared_as_the_library_stores_it(
        tmp_path):
    """A rescan of it said "before it added anything": its name, as the library stores it,
    never matched the name the system gives."""
    folder = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9")
    os.mkdir(folder)
    stored = P.from_fs(folder)
    assert scan_cancelled_line([folder], [], _snapshot([stored], 50),
                               _snapshot([stored], 50)) == RESCAN_LINE


def test_playlists_imported_before_the_cancel_are_not_nothing(tmp_path):
    (tmp_path / "new").mkdir()
    before, after = _snapshot([], 0), _snapshot([], 0)
    after.playlists.append(SimpleNamespace(id=1, entries=3))
    assert scan_cancelled_line([str(tmp_path / "new")], [str(tmp_path / "a.m3u")], before,
                               after) == (
        "Scan cancelled: the playlists imported so far are kept; Rescan reads the rest")
