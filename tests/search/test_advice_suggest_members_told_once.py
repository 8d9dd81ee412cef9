"""``suggest`` of a playlist whose members have no audio vector: a playlist of one member
an embed cannot analyse was told "no member of the playlist … it cannot be analysed again
now" (one member, told as if of several, "again" of a track never analysed); a missing
member whose last scan failed was counted twice, as a missing file and as a failure."""

from __future__ import annotations

from search_helpers import add_playlist, clustered_vectors, run_cli

from musicsage.library.queries import record_error


def _path(library, track_id: int) -> str:
    return library.conn.execute("SELECT path FROM tracks WHERE id = ?",
                                (track_id,)).fetchone()[0]


def _audio_note(capsys, ctx, playlist: str) -> str:
    rc, _out, err = run_cli(capsys, ctx, "suggest", playlist, "--space", "audio")
    assert rc == 1
    return err.strip().partition("audio: ")[2]


def test_one_missing_member_is_told_as_one(capsys, ctx, library):
    library.add(11)
    library.embed(clustered_vectors(10), library.ids[:10])
    add_playlist(library.conn, "/p/a.m3u", "one", [library.ids[10]])
    library.set_missing(library.ids[10])
    library.conn.commit()
    note = _audio_note(capsys, ctx, "one")
    assert note.startswith("the playlist's only member has no audio embedding: its file is "
                           "missing: once it is back, a rescan")
    assert "no member" not in note and "again" not in note


def test_one_member_without_a_file_is_told_as_one(capsys, ctx, library):
    library.add(11)
    library.embed(clustered_vectors(10), library.ids[:10])
    add_playlist(library.conn, "/p/a.m3u", "one", [library.ids[10]])
    library.conn.execute("UPDATE tracks SET path = 'dataset:t10' WHERE id = ?",
                         (library.ids[10],))
    library.conn.commit()
    assert _audio_note(capsys, ctx, "one") == (
        "the playlist's only member has no audio embedding: it was imported from a dataset "
        "dir, with no audio file to analyse")


def test_a_missing_member_whose_scan_failed_is_counted_once(capsys, ctx, library):
    library.add(12)
    library.embed(clustered_vectors(10), library.ids[:10])
    add_playlist(library.conn, "/p/a.m3u", "two", library.ids[10:12])
    for track_id in library.ids[10:12]:
        library.set_missing(track_id)
    record_error(library.conn, _path(library, library.ids[10]), "scan", "could not read")
    library.conn.commit()
    note = _audio_note(capsys, ctx, "two")
    assert "2 of them are missing files" not in note
    assert "1 of them cannot be analysed again now (it is a missing file" in note
    assert note.endswith("1 of the playlist's 2 members has no audio embedding: the last scan "
                         "could not read its file: could not read")
