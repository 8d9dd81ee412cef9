"""The title a file without a title tag takes from its name is one rule, shared by the scan
(:func:`~musicsage.library.scan_write.track_values`) and the re-read of tags an older version
misread (:mod:`musicsage.library.tag_reread`), which must know a title that is only the
file's name to replace it with the tag now read.

The scan now stores that name as one clean line ("01 track" of "01  track.flac"); the re-read
kept its own copy of the older rule, took "01 track" for a real title, and left it in place
of the file's "Real Title". A library an older version scanned holds the name as it was
("01  track"), which is read again as before.
"""

from __future__ import annotations

import pytest
from library_audio import write_audio

from musicsage.library.queries import set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_reread import REREAD_KEY


@pytest.mark.parametrize("stored", ["01 track", "01  track"], ids=["as-now", "as-before"])
def test_a_title_that_is_the_files_name_is_read_again(conn, music, stored):
    from mutagen import File

    path = write_audio(music / "01  track.flac", tags={"artist": "Ann"})
    tagged = File(path)
    tagged["title"] = ["", "Real Title"]
    tagged.save()
    scan_roots(conn, resolve_roots([music]))
    with conn:  # the title a reader that missed the tag stored: the file's name
        conn.execute("UPDATE tracks SET title = ?", (stored,))
        set_setting(conn, REREAD_KEY, None)

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Real Title"
    assert rep.tags_read_again == 1


def test_a_title_from_a_name_with_a_tab_stays_one_line_after_the_reread(conn, music):
    write_audio(music / "live\tset.flac", tags={"artist": "Ann"})
    scan_roots(conn, resolve_roots([music]))
    with conn:
        set_setting(conn, REREAD_KEY, None)

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "live set"
    assert rep.tags_read_again == 0
