"""A drop with one file that cannot be read (a truncated FLAC) or a link to a file gone (an
unplugged drive) scanned nothing at all — "… cannot be read; nothing was scanned" — while
the drop said it was taken. The good files are added; each bad one is named, as a folder's
scan names the files it cannot read."""

from __future__ import annotations

import os

import numpy as np
import soundfile as sf


def test_one_stray_file_in_a_drop_does_not_stop_the_rest(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    before = app.library.snapshot.stats.tracks.present
    drop = tmp_path / "drop"
    drop.mkdir()
    tone = (0.2 * np.sin(np.arange(16000) / 7)).astype("float32")
    sf.write(str(drop / "new good.flac"), tone, 16000, format="FLAC")
    sf.write(str(drop / "whole.flac"), tone[::-1].copy(), 16000, format="FLAC")
    (drop / "truncated.flac").write_bytes((drop / "whole.flac").read_bytes()[:200])
    os.symlink(tmp_path / "unplugged" / "gone.flac", drop / "old link.flac")

    assert app.library.add_dropped([str(drop / n) for n in (
        "new good.flac", "truncated.flac", "old link.flac")])
    runner.drain()
    assert app.library.snapshot.stats.tracks.present == before + 1
    summary = next(text for level, text in app.notifications if text.startswith("Scan"))
    assert summary.startswith("Scan finished: 1 new, 1 unreadable (truncated.flac: ")
    assert summary.endswith(f"not found (moved or deleted?): {drop / 'old link.flac'}")
    assert not any(level == "error" for level, _text in app.notifications)
