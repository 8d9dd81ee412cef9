"""Odd playlists: a Windows-1252 playlist whose bytes happen to be valid UTF-8, and a folder of
playlists that cannot be listed."""

from __future__ import annotations

import errno
import os

from library_audio import write_audio

from musicsage.library import paths as P
from musicsage.library.playlists import import_playlists
from musicsage.library.scan import resolve_roots, scan_roots


def test_a_cp1252_playlist_that_reads_as_utf8_still_finds_its_files(conn, music, tmp_path):
    """An old player wrote ``CafÃ©.flac`` in Windows-1252: the bytes C3 A9 are also UTF-8 for
    "é", so the file decodes as UTF-8 and named ``Café.flac``, which is not there."""
    song = write_audio(music / "CafÃ©.flac")
    scan_roots(conn, resolve_roots([music]))
    playlist = tmp_path / "old player.m3u"
    playlist.write_bytes(f"#EXTM3U\n{song}\n".encode("cp1252"))
    (rep,) = import_playlists(conn, [str(playlist)])
    assert rep.error is None and rep.unresolved == []
    track = conn.execute("SELECT t.path FROM playlist_entries e JOIN tracks t"
                         " ON t.id = e.track_id").fetchone()[0]
    assert track == P.from_fs(str(song))

    other = write_audio(music / "Café.flac")  # the UTF-8 reading, when it exists, comes first
    scan_roots(conn, resolve_roots([music]))
    both = tmp_path / "utf8.m3u8"
    both.write_text(f"{other}\n", encoding="utf-8")
    (rep,) = import_playlists(conn, [str(both)])
    assert rep.resolved == 1
    assert conn.execute("SELECT t.path FROM playlist_entries e JOIN tracks t"
                        " ON t.id = e.track_id WHERE e.playlist_id = ?",
                        (rep.playlist_id,)).fetchone()[0] == P.from_fs(str(other))


def test_a_folder_of_playlists_that_cannot_be_listed_is_said(conn, tmp_path, monkeypatch):
    """``scan --playlists FOLDER`` with a subfolder it may not read (or FOLDER itself) said
    nothing at all and exited 0: ``os.walk`` passes over such folders without a word."""
    lists = tmp_path / "lists"
    (lists / "locked").mkdir(parents=True)
    (lists / "locked" / "road trip.m3u").write_text("/music/a.flac\n")
    (lists / "open.m3u").write_text("/music/b.flac\n")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fsdecode(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    reports = import_playlists(conn, [str(lists)])
    errors = {r.path: r.error for r in reports if r.error}
    assert errors == {str(lists / "locked"): "cannot list folder: Permission denied; the "
                                             "playlists in it were not read"}
    assert [r.name for r in reports if not r.error] == ["open"]
