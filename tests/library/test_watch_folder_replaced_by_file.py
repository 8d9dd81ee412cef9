"""A watched music folder replaced by a file of its name (``mv Music Music.old; touch Music``):
the watch said nothing, and the window went on listing its tracks as present though none of
their files could be reached; put back, it said nothing either."""

from __future__ import annotations

from library_audio import write_audio
from test_watch_folder import Watching, present, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def test_a_music_folder_replaced_by_a_file_is_said_gone_and_back_when_put_back(ctx, tmp_path):
    music = tmp_path / "music"
    for i in range(2):
        write_audio(music / f"t{i}.wav", seconds=0.2, freq=300.0 + 100 * i)
    scan_library(ctx, [str(music)])
    conn = connect(ctx)
    watch = Watching(ctx)
    try:
        music.rename(tmp_path / "music.old")
        music.write_text("not music\n")
        gone = wait_until(lambda: [r for r in watch.reports if r.gone_roots], "the folder gone")
        assert gone[0].gone_roots == [(str(music), 2)]
        assert "its 2 tracks are kept" in gone[0].summary()
        assert not present(conn, music / "t0.wav")
        assert conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 2  # kept

        music.unlink()
        (tmp_path / "music.old").rename(music)
        back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
        assert back[0].summary() == f"{music} is back (2 tracks)"
        assert present(conn, music / "t0.wav") and present(conn, music / "t1.wav")
    finally:
        watch.stop()
