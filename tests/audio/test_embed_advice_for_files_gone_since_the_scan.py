"""A track whose file was deleted or moved since the last scan fails its analysis, and
``embed`` says to scan, not to "delete it and scan" (it is gone already) nor to re-rip it.

After ``rm song.ogg`` (or a move) between a scan and an embed, the note said "the file that
failed is tried again on every embedding run: replace it with a good copy (re-rip it), or
delete it and scan" — advice for a damaged file.
"""

from __future__ import annotations

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


def test_damaged_and_gone_files_each_get_their_advice():
    both = EmbedReport("spectral", "v1", "cpu", total=4, failed=3, vanished=2)
    advice = both.failed_advice
    assert advice.startswith("the file that failed is tried again on every embedding run")
    assert "; 2 more files that failed are gone since the last scan" in advice
    assert "\n" not in advice
