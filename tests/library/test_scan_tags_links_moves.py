"""What a scan must get right about odd files and interrupted work: a junk number in a tag, a
hard-linked file edited later, a scan killed after moving files, copies made while a music
folder's drive is unplugged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

from library_audio import write_audio, write_tags

from musicsage.library.scan import resolve_roots, scan_roots


def scan(conn, *roots, **kw):
    return scan_roots(conn, resolve_roots(roots), **kw)


def rows(conn) -> dict[str, tuple]:
    return {r[0]: tuple(r[1:]) for r in conn.execute(
        "SELECT path, id, title, track_number, year, status FROM tracks")}


def test_a_huge_track_number_or_year_is_left_out_and_the_scan_goes_on(conn, music):
    """23 digits overflowed SQLite's INTEGER: the scan crashed on that file every time."""
    write_audio(music / "a.flac", tags={"title": "A", "tracknumber": "3/12", "date": "2001-05-03"})
    write_audio(music / "b.flac", tags={"title": "B", "tracknumber": "12345678901234567890123",
                                        "date": "9" * 5000})  # past int()'s 4,300 digits
    write_audio(music / "c.flac", tags={"title": "C", "tracknumber": "2147483648",
                                        "date": "0000000000000000001999"})
    rep = scan(conn, music)
    assert (rep.added, rep.errors) == (3, [])
    got = {path.rsplit("/", 1)[1]: row[1:4] for path, row in rows(conn).items()}
    assert got == {"a.flac": ("A", 3, 2001), "b.flac": ("B", None, None),
                   "c.flac": ("C", None, 1999)}


def test_both_tracks_of_a_hard_linked_file_follow_its_edits(conn, music):
    """A hard link is a track of its own (spellings.py): once the link was made, the walk
    read only one path of the inode, and the other track kept its old tags for good."""
    original = write_audio(music / "z" / "song.flac", tags={"title": "Song"})
    scan(conn, music)
    (music / "a").mkdir()
    os.link(original, music / "a" / "hard.flac")  # walked before z/
    rep = scan(conn, music)
    assert (rep.added, rep.unchanged) == (1, 1)
    before = rows(conn)
    write_tags(os.fsencode(original), "flac", {"title": "Retitled"})
    rep = scan(conn, music)
    assert rep.updated == 2
    after = rows(conn)
    assert {p: r[1] for p, r in after.items()} == {str(original): "Retitled",
                                                    str(music / "a" / "hard.flac"): "Retitled"}
    assert {p: r[0] for p, r in after.items()} == {p: r[0] for p, r in before.items()}
    assert conn.execute("SELECT COUNT(*) FROM tracks WHERE needs_analysis = 1").fetchone()[0] == 2


_KILLED_SCAN = textwrap.dedent("""
    import os, sys
    from musicsage.context import AppContext
    from musicsage.library import tags
    from musicsage.library.db import connect
    from musicsage.library.scan import scan_roots

    read = 0
    def prober(path, fmt):  # killed (no finally runs) after two batches were committed
        global read
        read += 1
        if read > 25:
            os._exit(9)
        return tags.probe(path, fmt)

    scan_roots(connect(AppContext.create(sys.argv[1])), [sys.argv[2]], batch_size=10,
               prober=prober)
""")


def test_a_scan_killed_after_moving_files_keeps_where_they_came_from(conn, ctx, data_dir,
                                                                    tmp_path):
    """Moved rows were committed batch by batch but their old paths only at the end: after
    a kill, playlists naming the old paths lost the tracks already moved."""
    music = tmp_path / "music"
    for i in range(30):
        write_audio(music / "A" / f"{i:02d}.wav", seconds=0.2, freq=200 + 20 * i)
    scan(conn, music)
    ids = {f"{i:02d}.wav": tid for path, (tid, *_rest) in rows(conn).items()
           for i in range(30) if path.endswith(f"/{i:02d}.wav")}
    os.rename(music / "A", music / "B")
    done = subprocess.run([sys.executable, "-c", _KILLED_SCAN, str(data_dir), str(music)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    moves = conn.execute("SELECT old_path, track_id FROM track_moves").fetchall()
    assert len(moves) == 20  # the two committed batches, with their moves
    assert {r[0] for r in conn.execute("SELECT path FROM tracks WHERE id IN (%s)" % ",".join(
        str(t) for _p, t in moves))} == {str(music / "B" / p.rsplit("/", 1)[1]) for p, _t in moves}
    rep = scan(conn, music)
    assert rep.moved == 10
    moves = dict(conn.execute("SELECT old_path, track_id FROM track_moves").fetchall())
    assert moves == {str(music / "A" / name): tid for name, tid in ids.items()}
    hashed = conn.execute("SELECT COUNT(*) FROM track_hashes h JOIN tracks t ON t.id ="
                          " h.track_id AND t.size = h.size AND t.mtime_ns = h.mtime_ns")
    assert hashed.fetchone()[0] == 30


def test_a_file_moved_out_of_a_music_folder_that_is_there_is_still_moved(conn, tmp_path):
    """The folder check leaves real moves alone: the folder is there, the file left it."""
    usb, home = tmp_path / "usb" / "Music", tmp_path / "home" / "Music"
    write_audio(usb / "a.wav", seconds=0.3)
    write_audio(home / "own.wav", seconds=0.5)
    scan(conn, usb, home)
    tid = rows(conn)[str(usb / "a.wav")][0]
    shutil.move(usb / "a.wav", home / "a.wav")
    rep = scan(conn, home)
    assert rep.moved == 1 and rows(conn)[str(home / "a.wav")][0] == tid


def test_a_file_dated_past_2262_is_scanned_and_then_unchanged(conn, music):
    """Its mtime in nanoseconds overflowed SQLite's INTEGER: the scan crashed every time."""
    song = write_audio(music / "future.flac", tags={"title": "Future"})
    write_audio(music / "now.flac")
    year_2400 = 13_569_465_600 * 10**9
    os.utime(song, ns=(year_2400, year_2400))
    assert scan(conn, music).added == 2
    rep = scan(conn, music)
    assert (rep.added, rep.updated, rep.unchanged) == (0, 0, 2)
    os.utime(song, ns=(year_2400, year_2400 + 10**9))  # touched: same content
    write_tags(os.fsencode(song), "flac", {"title": "Later"})  # and edited
    os.utime(song, ns=(year_2400, year_2400 + 2 * 10**9))
    rep = scan(conn, music)
    assert rep.updated == 1 and rows(conn)[str(song)][1] == "Later"
