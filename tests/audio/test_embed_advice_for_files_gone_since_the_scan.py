"""A track whose file was deleted or moved since the last scan fails its analysis, and
``embed`` says to scan, not to "delete it and scan" (it is gone already) nor to re-rip it.

After ``rm song.ogg`` (or a move) between a scan and an embed, the note said "the file that
failed is tried again on every embedding run: replace it with a good copy (re-rip it), or
delete it and scan" — advice for a damaged file.
"""

from __future__ import annotations

import os

import pytest

from musicsage.audio.embed_job import EmbedReport, run_embed_job
from musicsage.audio.spectral import create_embedder

from test_embed_job import add_tracks, make_track


def test_a_file_gone_since_the_scan_is_told_to_scan(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    paths = [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(2)]
    add_tracks(ctx, paths)
    paths[0].unlink()
    rep = run_embed_job(ctx, create_embedder(ctx), cores=1)
    assert (rep.embedded, rep.failed) == (1, 1)
    advice = rep.failed_advice
    assert advice.startswith("the file that failed is gone since the last scan")
    assert "scan its music folder" in advice
    assert "re-rip" not in advice and "delete it" not in advice
    assert rep.as_dict()["vanished"] == 1  # embed --json tells them apart too


def _one_track_in_each(ctx, *folders):
    paths = []
    for i, folder in enumerate(folders):
        folder.mkdir(parents=True, exist_ok=True)
        paths.append(make_track(folder / f"t{i}.wav", i, seconds=1.0))
    add_tracks(ctx, paths)
    return paths


def _not_told_gone(rep: EmbedReport) -> None:
    assert (rep.embedded, rep.failed, rep.vanished) == (1, 1, 0)
    assert "gone since the last scan" not in rep.failed_advice
    assert rep.as_dict()["vanished"] == 0


def test_a_file_that_cannot_be_looked_at_is_not_called_gone(ctx, tmp_path):
    music = tmp_path / "music"
    paths = _one_track_in_each(ctx, music, music)
    paths[0].unlink()
    paths[0].symlink_to(paths[0].name)  # there, but a link to itself: no stat reaches a file
    _not_told_gone(run_embed_job(ctx, create_embedder(ctx), cores=1))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a folder whatever its permissions")
def test_a_file_in_a_folder_closed_to_the_user_is_not_called_gone(ctx, tmp_path):
    closed = tmp_path / "music" / "closed"
    _one_track_in_each(ctx, closed, tmp_path / "music")
    closed.chmod(0)  # its permissions changed since the scan (a NAS under another uid)
    try:
        rep = run_embed_job(ctx, create_embedder(ctx), cores=1)
    finally:
        closed.chmod(0o755)
    _not_told_gone(rep)
