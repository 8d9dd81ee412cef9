"""Cancelling the first scan of a big folder (a home folder) shows the tracks it kept.

A scan commits what it read in batches and records the folder first, so a cancelled one has
filled the library; the window went on showing the welcome page of an empty library, without
a word, until the next start showed the tracks and the folder the user thought cancelled.
It now reads the library again and says what was kept and how to go on.
"""

from __future__ import annotations

import threading

import numpy as np
import soundfile as sf

from gui_support import settle
from musicsage.library import tags

KEPT_LINE = ("Scan cancelled: the tracks read so far are kept; the folder stays in the library: "
             "Rescan reads the rest, or File ▸ Remove music folder… takes it out")


def _folder_of_wavs(folder, count: int) -> None:
    folder.mkdir()
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(800) / 8000)
    for i in range(count):
        sf.write(folder / f"track {i:03d}.wav", tone, 8000)


def test_a_cancelled_first_scan_shows_the_tracks_it_kept_and_says_so(
        qtbot, make_window, ctx, tmp_path, monkeypatch):
    music = tmp_path / "home"
    _folder_of_wavs(music, 130)
    reached, go = threading.Event(), threading.Event()
    probed = []
    real_probe = tags.probe

    def probe(*args, **kwargs):
        """Reads files as ever, but holds the scan after its first batch (100 files) until
        Cancel was pressed."""
        probed.append(args)
        if len(probed) == 110:
            reached.set()
            go.wait(30)
        return real_probe(*args, **kwargs)

    monkeypatch.setattr(tags, "probe", probe)
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
