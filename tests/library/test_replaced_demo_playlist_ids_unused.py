"""Playlists removed with the files an old demo wrote (a demo rebuilt with other settings,
:func:`~musicsage.library.forget.forget_files`) leave their ids unused: a trained graph model
keeps a vector per playlist id, and the new demo's playlists took the old ones' ids — going
back to an earlier model (``models --use``) gave each new playlist an old one's vector."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.library import queries as q
from musicsage.library.forget import forget_files
from musicsage.library.playlists.store import import_playlist_file
from musicsage.library.scan import resolve_roots, scan_roots


def test_playlists_forgotten_with_an_old_demo_keep_their_ids_retired(conn, tmp_path):
    music = tmp_path / "demo-music"
    song = music / "a.wav"
    write_audio(song, seconds=0.1)
    scan_roots(conn, resolve_roots([music]))
    old = music / "Playlists" / "Old.m3u"
    old.parent.mkdir()
    old.write_text("../a.wav\n")
    old_id = import_playlist_file(conn, str(old)).playlist_id
    assert forget_files(conn, [str(song)], [str(old)], root=str(music)) == (1, 1)
    assert q.playlist_rows(conn) == []
    new = tmp_path / "New.m3u"
    new.write_text("demo-music/a.wav\n")
    assert import_playlist_file(conn, str(new)).playlist_id > old_id, (
        "the new playlist took the removed one's id")
