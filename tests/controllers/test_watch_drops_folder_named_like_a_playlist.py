"""A folder whose name ends as a playlist file's does ("Best of.m3u", "Live.pls": an album
folder named by hand) dropped on the window was taken for a playlist file: it was imported as a
folder of playlists, found none, and the drop said "Scan finished: nothing changed" while the
music inside it was never added. A folder is scanned, whatever its name."""

from __future__ import annotations

import numpy as np
import soundfile as sf


def test_a_folder_named_like_a_playlist_is_scanned_as_music(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    before = app.library.snapshot.stats.tracks.present
    album = tmp_path / "out" / "Best of.m3u"
    album.mkdir(parents=True)
    tone = (0.2 * np.sin(np.arange(16000) / 5)).astype("float32")
    sf.write(str(album / "01 Hit.flac"), tone, 16000, format="FLAC")

    assert app.library.add_dropped([str(album)])
    runner.drain()
    assert app.library.snapshot.stats.tracks.present == before + 1
    summary = next(text for _level, text in app.notifications if text.startswith("Scan"))
    assert summary.startswith("Scan finished: 1 new")
