"""A library scanned before the tag readers were fixed (an MP3's APEv2 tag, UTF-8 in a Latin-1
ID3 frame, track or year 0, control characters) gets the fixed values from its next scan: a
rescan never opens an unchanged file, so "BjÃ¶rk" stayed beside "Björk" as two artists (two
graph contexts) and an MP3 tagged by foobar2000 stayed untagged, until each file changed.
Read again once, only the tracks whose values change, ids and vectors kept."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import numpy as np
import pytest
from test_aiff_name_and_auth_in_mac_roman import _aiff
from test_mislabelled_id3_text_reads_as_written import _mp3_with
from test_mp3_apev2_tags_are_read import LONG, _mp3

from musicsage import cli
from musicsage.library import db, tags as tags_mod
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.scan_report import summed_up_notes
from musicsage.library.tag_reread import REREAD_KEY, reread_note
from musicsage.progress import CancelToken, Cancelled

OLD_VALUES = {  # what the version before the fixes stored, by file name
    "ape.mp3": dict(title="ape", artist=None, album=None, albumartist=None, genre=None,
                    track_number=None, year=None),
    "latin1.mp3": dict(artist="BjÃ¶rk"),
    "zeros.flac": dict(track_number=0, year=0),
    "control.flac": dict(title="Night\x01Bus\ufeff"),
    "swapped.mp3": dict(title="Hello".encode("utf-16-be").decode("utf-16-le")),  # "䠀攀氀氀漀"
    "v1.mp3": dict(title=LONG[:30], artist="????"),  # ID3v1's, its APEv2 tag unread
    "mac.aiff": dict(artist="Bjšrk"),  # its Mac OS Roman AUTH read as Windows-1252
}


@pytest.fixture
def library(music, make_audio):
    """A music folder: the seven files an older version misread, and two it read right."""
    _mp3(music / "ape.mp3", ape={"Title": "Night Bus", "Artist": "The Lamps", "Album": "Late"})
    _mp3_with(music / "latin1.mp3", [(b"TIT2", 0, b"One"), (b"TPE1", 0, "Björk".encode()),
                                     (b"TALB", 0, b"Debut")])
    make_audio(music / "bjork.flac", tags={"title": "Two", "artist": "Björk", "album": "Debut"})
    make_audio(music / "zeros.flac", tags={"title": "Zero", "artist": "Nobody"})
    make_audio(music / "control.flac", tags={"title": "Night Bus", "artist": "The Lamps"})
    _mp3_with(music / "swapped.mp3", [(b"TIT2", 1, "Hello".encode("utf-16-be"))])
    _mp3(music / "v1.mp3", ape={"Title": LONG, "Artist": "東京事変"}, id3v1=True)
    _aiff(music / "mac.aiff", b"Three", "Björk".encode("mac_roman"))
    make_audio(music / "plain.flac")  # no tags at all: nothing to read again
    return music


def as_an_older_version_left_it(conn) -> dict[str, int]:
    """The rows as the version before the fixes wrote them, analysed (a vector each), the
    upgrade not run yet; their ids by file name."""
    ids = {os.path.basename(r[1]): r[0] for r in conn.execute("SELECT id, path FROM tracks")}
    for name, values in OLD_VALUES.items():
        sets = ", ".join(f"{c} = ?" for c in values)
        conn.execute(f"UPDATE tracks SET {sets} WHERE id = ?", [*values.values(), ids[name]])
    conn.execute("UPDATE tracks SET needs_analysis = 0")
    conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                 " SELECT id, 'spectral', '1', 2, ? FROM tracks",
                 (np.array([1, 2], np.float32).tobytes(),))
    set_setting(conn, REREAD_KEY, None)
    conn.commit()
    return ids


def tags_of(conn, track_id: int) -> tuple:
    return tuple(conn.execute("SELECT title, artist, album, track_number, year FROM tracks"
                              " WHERE id = ?", (track_id,)).fetchone())


def test_the_next_scan_reads_again_what_an_older_version_misread(conn, library):
    scan_roots(conn, resolve_roots([library]))
    ids = as_an_older_version_left_it(conn)
    stamps = conn.execute("SELECT id, size, mtime_ns, path, updated_at FROM tracks ORDER BY id"
                          ).fetchall()

    rep = scan_roots(conn, resolve_roots([library]))

    assert (rep.added, rep.updated, rep.unchanged, rep.errors) == (0, 0, 9, [])
    assert tags_of(conn, ids["ape.mp3"]) == ("Night Bus", "The Lamps", "Late", None, None)
    assert tags_of(conn, ids["latin1.mp3"]) == ("One", "Björk", "Debut", None, None)
    assert tags_of(conn, ids["zeros.flac"]) == ("Zero", "Nobody", None, None, None)
    assert tags_of(conn, ids["control.flac"])[0] == "Night Bus"
    assert tags_of(conn, ids["swapped.mp3"])[0] == "Hello"
    assert tags_of(conn, ids["v1.mp3"])[:2] == (LONG, "東京事変")
    assert tags_of(conn, ids["mac.aiff"])[:2] == ("Three", "Björk")
    assert tags_of(conn, ids["plain.flac"]) == ("plain", None, None, None, None)
    assert rep.tags_read_again == 7
    assert sorted(os.path.basename(p) for p, _n in rep.notes) == sorted(OLD_VALUES)
    assert (os.path.join(library, "latin1.mp3"), reread_note(
        {"artist": "BjÃ¶rk"}, {"artist": "Björk"})) in [(str(p), n) for p, n in rep.notes]
    # the same tracks, files (updated_at: the last change of the file) and vectors
    assert conn.execute("SELECT id, size, mtime_ns, path, updated_at FROM tracks ORDER BY id"
                        ).fetchall() == stamps
    assert conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0] == 9
    assert conn.execute("SELECT SUM(needs_analysis) FROM tracks").fetchone()[0] == 0
    assert get_setting(conn, REREAD_KEY) == []
    read: list[str] = []
    again = scan_roots(conn, resolve_roots([library]), prober=reading(read))
    assert (read, again.notes, again.tags_read_again) == ([], [], 0), "once"


def reading(read: list[str]):
    """The scan's prober, keeping the files it reads in ``read``."""
    def probe(fs_path, fmt=None):
        read.append(os.path.basename(fs_path))
        return tags_mod.probe(fs_path, fmt)
    return probe


def test_the_graph_model_sees_one_artist_and_the_untagged_mp3s_contexts(conn, library):
    from musicsage.graph.data import GraphData

    scan_roots(conn, resolve_roots([library]))
    ids = as_an_older_version_left_it(conn)
    scan_roots(conn, resolve_roots([library]))

    data = GraphData.from_library(conn, "spectral", audio_version="1")
    artist = dict(zip(data.track_ids.tolist(), data.metadata["artist"].tolist()))
    album = dict(zip(data.track_ids.tolist(), data.metadata["album"].tolist()))
    assert artist[ids["latin1.mp3"]] == artist[ids["bjork.flac"]] == artist[ids["mac.aiff"]] >= 0
    assert album[ids["latin1.mp3"]] == album[ids["bjork.flac"]] >= 0, "one album"
    assert artist[ids["ape.mp3"]] == artist[ids["control.flac"]] >= 0, "The Lamps"


def test_a_track_out_of_reach_is_read_once_it_is_back(conn, library, tmp_path):
    scan_roots(conn, resolve_roots([library]))
    ids = as_an_older_version_left_it(conn)
    away = tmp_path / "away.mp3"
    os.rename(library / "latin1.mp3", away)  # a drive not mounted, for this one file

    first = scan_roots(conn, resolve_roots([library]))

    assert first.tags_read_again == 6 and first.missing == 1
    assert get_setting(conn, REREAD_KEY) == [ids["latin1.mp3"]]
    assert tags_of(conn, ids["latin1.mp3"])[1] == "BjÃ¶rk"
    os.rename(away, library / "latin1.mp3")
    again = scan_roots(conn, resolve_roots([library]))
    assert (again.reappeared, again.tags_read_again) == (1, 1)
    assert tags_of(conn, ids["latin1.mp3"])[1] == "Björk"
    assert get_setting(conn, REREAD_KEY) == []


def test_a_stopped_scan_keeps_what_it_read_again_and_the_next_one_finishes(conn, library):
    scan_roots(conn, resolve_roots([library]))
    ids = as_an_older_version_left_it(conn)
    old = {name: tags_of(conn, ids[name]) for name in OLD_VALUES}
    cancel, read = CancelToken(), []

    def stopped_at_the_second(fs_path, fmt=None):
        read.append(os.path.basename(fs_path))
        if len(read) == 2:
            cancel.cancel()  # as Stop, pressed while the 2nd file is read
        return tags_mod.probe(fs_path, fmt)

    with pytest.raises(Cancelled):
        scan_roots(conn, resolve_roots([library]), prober=stopped_at_the_second, cancel=cancel)

    assert len(read) == 2, "not done"
    assert get_setting(conn, REREAD_KEY) == {"after": ids[read[1]], "unreached": []}
    kept = [name for name in OLD_VALUES if tags_of(conn, ids[name]) != old[name]]
    assert sorted(kept) == sorted(set(read) - {"plain.flac"}), "what the two read is kept"
    again: list[str] = []
    rep = scan_roots(conn, resolve_roots([library]), prober=reading(again))
    suspects = {*OLD_VALUES, "plain.flac"}  # (no artist: perhaps a first value left empty)
    assert sorted(again) == sorted(suspects - set(read)), "the rest, once each"
    assert rep.tags_read_again == 5 and get_setting(conn, REREAD_KEY) == []
    assert tags_of(conn, ids["latin1.mp3"])[1] == "Björk"


def test_a_track_already_right_is_read_not_written(conn, music):
    """Real Latin-1 text that looks like mojibake ("Ã©té") is read again (it may be one) and
    left as it is: only tracks whose values change are written and told."""
    _mp3_with(music / "ete.mp3", [(b"TIT2", 0, b"One"), (b"TALB", 0, "Ã©té".encode("latin-1"))])
    scan_roots(conn, resolve_roots([music]))
    set_setting(conn, REREAD_KEY, None)
    conn.commit()
    read: list[str] = []

    rep = scan_roots(conn, resolve_roots([music]), prober=reading(read))

    assert read == ["ete.mp3"]
    assert (rep.tags_read_again, rep.notes, rep.unchanged) == (0, [], 1)
    assert conn.execute("SELECT album FROM tracks").fetchone()[0] == "Ã©té"
    assert get_setting(conn, REREAD_KEY) == []


def test_the_command_tells_each_track_and_sums_many_up(tmp_path, capsys, music, make_audio):
    make_audio(music / "zeros.flac", tags={"title": "Zero", "artist": "Nobody"})
    data = tmp_path / "data"
    assert cli.main(["scan", str(music), "--data-dir", str(data)]) == 0
    db.close_thread_connections()
    with closing(sqlite3.connect(data / "library.sqlite3", isolation_level=None)) as conn:
        conn.execute("UPDATE tracks SET year = 0")
        conn.execute("DELETE FROM settings WHERE key = ?", (REREAD_KEY,))
    capsys.readouterr()

    assert cli.main(["scan", "--data-dir", str(data)]) == 0

    out = capsys.readouterr().out
    assert "0 new, 0 changed, 1 unchanged" in out, out
    assert ("note: " + os.path.join(music, "zeros.flac") + ": tags read again (an older "
            "version misread them): year 0 → none; its vectors kept") in out, out
    notes = [(f"/m/{i}.mp3", reread_note({"year": 0}, {"year": None})) for i in range(25)]
    shown, line = summed_up_notes(notes)
    assert shown == [] and line.startswith("25 tracks (0.mp3, 1.mp3, 2.mp3 …) had tags")
