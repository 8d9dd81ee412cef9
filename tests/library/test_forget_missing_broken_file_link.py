"""``forget --missing`` of a track whose file is a symbolic link to a file that is gone (the
target deleted, or moved): the link is still there, so the track was counted "there again:
rescan to bring it back" — yet every rescan calls it a broken link and marks it missing
again, and no ``forget --missing``, even naming the file, ever removed it."""

from __future__ import annotations

import os

from musicsage.library.db import connect
from musicsage.usecases.library import forget_missing_tracks, scan_library


def test_a_track_behind_a_broken_file_link_is_removed_not_called_back(ctx, tmp_path,
                                                                      make_audio):
    music, elsewhere = tmp_path / "music", tmp_path / "elsewhere"
    make_audio(music / "here.wav", freq=300.0)
    target = make_audio(elsewhere / "linked.wav", freq=500.0)
    link = music / "linked.wav"
    os.symlink(target, link)
    scan_library(ctx, [str(music)])
    target.unlink()
    scan_library(ctx)
    conn = connect(ctx)
    assert conn.execute("SELECT COUNT(*) FROM tracks WHERE status = 'missing'").fetchone()[0] == 1
    report = forget_missing_tracks(ctx)
    assert (report.tracks, report.back) == (1, 0)
    assert "there again" not in report.summary()
    paths = [r[0] for r in conn.execute("SELECT path FROM tracks")]
    assert len(paths) == 1 and paths[0].endswith("here.wav")
    assert os.path.islink(link), "no file is touched: the link stays"
