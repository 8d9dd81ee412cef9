"""The folder watch says the scan's notes, as ``scan`` prints them: a known Ogg file that a copy
broke off (it now ends mid-page and holds less than when scanned) was read again and re-embedded
by the watch without a word, where a plain scan says ``note: song.ogg: ends mid-page …``."""

from __future__ import annotations

from musicsage.library.scan import scan_roots
from musicsage.library.scan_write import CUT_SINCE_SCANNED_NOTE
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes


def test_the_watch_line_names_a_known_ogg_file_cut_short(conn, music, make_audio):
    song = music / "song.ogg"
    make_audio(song, seconds=6.0, tags={"title": "Song"})
    assert scan_roots(conn, [str(music)]).added == 1
    data = song.read_bytes()
    song.write_bytes(data[: int(len(data) * 0.9)])  # copied again, the copy broken off

    rep = apply_changes(conn, WatchPlan(roots=[str(music)]), Batch(paths={str(song): False}))

    assert (rep.scan.updated, rep.scan.errors) == (1, [])
    assert rep.summary() == f"1 changed ('song.ogg'), 1 note (song.ogg: {CUT_SINCE_SCANNED_NOTE})"


def test_the_watch_line_counts_the_notes_past_the_first(conn, music, make_audio):
    for name in ("a.ogg", "b.opus"):
        make_audio(music / name, seconds=6.0, freq=440.0 if name == "a.ogg" else 660.0)
    scan_roots(conn, [str(music)])
    for name in ("a.ogg", "b.opus"):
        data = (music / name).read_bytes()
        (music / name).write_bytes(data[: int(len(data) * 0.9)])

    rep = apply_changes(conn, WatchPlan(roots=[str(music)]), Batch(paths={str(music): True}))

    assert f", 2 notes (a.ogg: {CUT_SINCE_SCANNED_NOTE}; 1 more)" in rep.summary()
