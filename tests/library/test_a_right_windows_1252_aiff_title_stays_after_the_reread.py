"""Versions before 1cd73f6 read AIFF NAME/AUTH text that is not UTF-8 as Windows-1252, so a
library holds "Don’t" and "Über" of the Windows tools' AIFFs right. The one-time re-read of
the next scan rewrote such a title with the Mac OS Roman reading ("Donít", "‹ber"), a right
value made wrong; it still fixes a Mac tool's "Bjšrk" to "Björk"."""

from __future__ import annotations

import os

from test_aiff_name_and_auth_in_mac_roman import _aiff

from musicsage.library.queries import set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_reread import REREAD_KEY

OLDER_READING = {  # what versions before 1cd73f6 stored: the bytes read as Windows-1252
    "windows.aiff": ("Don’t", "Über"),
    "mac.aiff": ("Three", "Bjšrk"),
}


def test_the_reread_keeps_a_right_windows_1252_title_and_fixes_a_mac_one(conn, music):
    _aiff(music / "windows.aiff", "Don’t".encode("cp1252"), "Über".encode("cp1252"))
    _aiff(music / "mac.aiff", b"Three", "Björk".encode("mac_roman"))
    scan_roots(conn, resolve_roots([music]))
    ids = {os.path.basename(p): i for i, p in conn.execute("SELECT id, path FROM tracks")}
    for name, (title, artist) in OLDER_READING.items():
        conn.execute("UPDATE tracks SET title = ?, artist = ? WHERE id = ?",
                     (title, artist, ids[name]))
    set_setting(conn, REREAD_KEY, None)  # a library the re-read has not run on yet
    conn.commit()

    rep = scan_roots(conn, resolve_roots([music]))

    rows = dict(conn.execute("SELECT path, title || ' / ' || artist FROM tracks").fetchall())
    by_name = {os.path.basename(p): v for p, v in rows.items()}
    assert by_name == {"windows.aiff": "Don’t / Über", "mac.aiff": "Three / Björk"}
    assert [os.path.basename(str(p)) for p, _note in rep.notes] == ["mac.aiff"]


def test_a_mac_reading_is_written_over_a_stored_one_only_when_it_reads_clearly_better():
    from musicsage.library.tag_reread import misread

    # the same bytes, "Don’t" in Windows-1252, read as Mac OS Roman: never over the right text
    assert not misread("title", "Don’t", "Donít", "aiff")
    assert misread("artist", "Bjšrk", "Björk", "aiff"), "a Mac tool's name is mended"
    assert misread("artist", "Bjšrk", "Björk", "flac") is False, "an AIFF repair only for AIFF"
