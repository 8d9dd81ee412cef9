"""Remove missing tracks…: Cancel pressed during the check of which files are gone (one look
at a file per missing track: seconds apiece on a slow network drive) dropped the question but
the check looked at every remaining file; now it stops before the next one."""

from __future__ import annotations

import os
import shutil

from musicsage.controllers.missing import check_missing
from musicsage.usecases.library import scan_library


def test_cancel_stops_the_check_between_files(library, make_app, monkeypatch):
    music = library.data_dir.parent / "src" / "music"
    for band in list(music.iterdir()):  # every audio file deleted, the music folder kept
        shutil.rmtree(band)
    (music / "cover.jpg").write_bytes(b"not audio")  # not empty: an empty one counts as unplugged
    scan_library(library)
    app, runner = make_app(library)
    runner.drain()
    real, looked, answers = os.path.exists, [], []

    def look(path):  # Cancel is pressed while the third file is looked at
        looked.append(path)
        if len(looked) == 3:
            task.cancel()
        return real(path)

    monkeypatch.setattr(os.path, "exists", look)
    task = check_missing(app.library, answers.append, asked=True)
    runner.drain()
    assert task.state == "cancelled" and answers == []
    assert len(looked) == 3, f"looked at {len(looked)} of 12 files after Cancel"
