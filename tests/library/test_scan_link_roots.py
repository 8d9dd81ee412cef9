"""One music folder reached two ways (a symbolic link and its real path, a link back into
itself) is one music folder, and each of its files one track."""

from __future__ import annotations

import os

from library_audio import write_audio

from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.scan import resolve_roots, scan_roots


def scan(conn, *roots):
    return scan_roots(conn, resolve_roots(roots))


def tracks(conn) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT path, status FROM tracks ORDER BY path")}


def _music(tmp_path):
    music = tmp_path / "Music"
    write_audio(music / "a.wav")
    write_audio(music / "sub" / "b.wav", seconds=1.5)
    return music


def test_link_then_real_path_is_one_folder(conn, tmp_path):
    music = _music(tmp_path)
    os.symlink("Music", tmp_path / "Link")
    scan(conn, tmp_path / "Link")
    rep = scan(conn, music)  # the spelling scanned first is kept
    assert (rep.added, rep.unchanged, rep.missing) == (0, 2, 0)
    assert q.library_roots(conn) == [str(tmp_path / "Link")]
    assert tracks(conn) == {str(tmp_path / "Link/a.wav"): "present",
                            str(tmp_path / "Link/sub/b.wav"): "present"}


def test_both_spellings_in_one_scan_are_one_folder(conn, tmp_path):
    music = _music(tmp_path)
    os.symlink("Music", tmp_path / "Link")
    rep = scan(conn, music, tmp_path / "Link")
    assert rep.added == 2 and q.library_roots(conn) == [str(music)]


def test_link_loop_scanned_first_keeps_its_tracks(conn, tmp_path):
    music = _music(tmp_path)
    os.symlink(".", music / "again")
    scan(conn, music / "again")
    rep = scan(conn, music)
    assert (rep.added, rep.missing) == (0, 0)
    assert set(tracks(conn).values()) == {"present"} and len(tracks(conn)) == 2
    assert q.library_roots(conn) == [str(music / "again")]
    rep = scan(conn, music)  # and the part of it scanned first, the other way round
    assert (rep.added, rep.missing, rep.unchanged) == (0, 0, 2)


def test_link_loop_after_the_folder_adds_nothing(conn, tmp_path):
    music = _music(tmp_path)
    os.symlink(".", music / "again")
    scan(conn, music)
    rep = scan(conn, music / "again")
    assert (rep.added, rep.missing, rep.unchanged) == (0, 0, 2)
    assert q.library_roots(conn) == [str(music)] and len(tracks(conn)) == 2


def test_folder_inside_through_a_link_is_folded_with_its_tracks(conn, tmp_path):
    music = _music(tmp_path)
    os.symlink("Music", tmp_path / "Link")
    scan(conn, tmp_path / "Link" / "sub")
    (old_id,) = conn.execute("SELECT id FROM tracks").fetchone()
    rep = scan(conn, music)
    assert (rep.added, rep.unchanged, rep.missing) == (1, 1, 0)
    assert q.library_roots(conn) == [str(music)]
    assert tracks(conn) == {str(music / "a.wav"): "present", str(music / "sub/b.wav"): "present"}
    assert q.track_by_path(conn, str(music / "sub/b.wav"))["id"] == old_id  # the same track
    moved = conn.execute("SELECT old_path FROM track_moves").fetchall()
    assert [r[0] for r in moved] == [str(tmp_path / "Link/sub/b.wav")]


def test_a_library_holding_a_folder_twice_never_loses_files(conn, tmp_path):
    """A library an older version doubled (``Link`` and ``Music`` both music folders, every
    file a track under each): a re-scan walks each folder once, and the files it reached
    the other way are not marked missing (they were: ``sub/b.wav`` under ``Music``)."""
    music = _music(tmp_path)
    link = tmp_path / "Link"
    os.symlink("Music", link)
    scan(conn, music)
    with transaction(conn):
        conn.execute("INSERT INTO library_roots(path) VALUES (?)", (str(link),))
        conn.execute("INSERT INTO tracks(id, path, size, mtime_ns, format, title, status)"
                     " SELECT id + 1000, replace(path, ?, ?), size, mtime_ns, format, title,"
                     " status FROM tracks", (str(music), str(link)))
    rep = scan_roots(conn, [str(link), str(music)])
    assert rep.missing == 0 and rep.added == 0
    assert list(tracks(conn).values()) == ["present"] * 4


def test_a_hard_linked_file_in_another_folder_stays_a_track_of_its_own(conn, tmp_path):
    """The same inode under another real path is a track in two folders on purpose (each
    named by playlists): the scan that adds the second folder must not fold it into the
    first one's track, as it does for one folder reached through a link."""
    music = _music(tmp_path)
    favourites = tmp_path / "Favourites"
    favourites.mkdir()
    os.link(music / "a.wav", favourites / "a.wav")
    scan(conn, music)
    rep = scan(conn, favourites)
    assert rep.added == 1
    assert tracks(conn) == {str(music / "a.wav"): "present", str(music / "sub/b.wav"): "present",
                            str(favourites / "a.wav"): "present"}


def test_forget_takes_the_folder_by_its_real_path_too(conn, tmp_path):
    """``scan Link`` then ``forget Music`` (``Link -> Music``): the same music folder."""
    from musicsage.library.forget import forget_root

    music = _music(tmp_path)
    os.symlink("Music", tmp_path / "Link")
    scan(conn, tmp_path / "Link")
    assert forget_root(conn, str(music)).tracks == 2
    assert q.library_roots(conn) == [] and tracks(conn) == {}
