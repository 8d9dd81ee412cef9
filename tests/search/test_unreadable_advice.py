"""A file the scan could not read, or a track whose analysis failed: the message says so,
with the recorded reason, instead of advising a scan or an embed that can only fail again."""

from __future__ import annotations

import pytest
from search_helpers import AUDIO_MODEL, clustered_vectors, run_cli

from musicsage.library.queries import record_error
from musicsage.usecases.search import similar_tracks


def test_a_file_the_scan_could_not_read_is_not_sent_to_be_scanned(capsys, ctx, tmp_path,
                                                                 monkeypatch):
    music = tmp_path / "music"
    music.mkdir()
    (music / "text.mp3").write_text("not music\n")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, ctx, "similar", "music/text.mp3")
    assert rc == 1 and len(err.strip().splitlines()) == 1
    assert "music/text.mp3 could not be read by the scan, so it is not in the library: " in err
    assert "mp3" in err.split("library: ")[1] and "scan its folder first" not in err
    stray = tmp_path / "elsewhere.mp3"  # never scanned: the advice stays
    stray.write_text("")
    assert "scan its folder first" in run_cli(capsys, ctx, "similar", str(stray))[2]


@pytest.fixture
def new_track(library):
    library.add(12)
    library.embed(clustered_vectors(12, clusters=3))
    (new,) = library.add(1, start=99)
    return new


def _path(library, track_id):
    return library.conn.execute("SELECT path FROM tracks WHERE id = ?", (track_id,)).fetchone()[0]


def test_a_track_whose_analysis_failed_is_not_sent_to_embed(ctx, library, new_track):
    record_error(library.conn, _path(library, new_track), f"embed:{AUDIO_MODEL}",
                 "song099.wav: cannot decode", track_id=new_track)
    note = similar_tracks(ctx, new_track, space="audio").notes["audio"]
    assert note == ("the query track has no audio embedding: analysing its file failed: "
                    "song099.wav: cannot decode")
    # the file changed since (a scan saw it): analysing it again may work, and is the advice
    library.conn.execute("UPDATE tracks SET updated_at = '2999-01-01T00:00:00.000Z'"
                         " WHERE id = ?", (new_track,))
    assert "musicsage embed" in similar_tracks(ctx, new_track, space="audio").notes["audio"]


def test_a_track_the_last_scan_could_not_read_is_not_sent_to_embed(ctx, library, new_track):
    record_error(library.conn, _path(library, new_track), "scan",
                 "not a readable wav file (bad header)", track_id=new_track)
    note = similar_tracks(ctx, new_track, space="audio").notes["audio"]
    assert "musicsage embed" not in note
    assert note.endswith("the last scan could not read its file: not a readable wav file "
                         "(bad header)")
