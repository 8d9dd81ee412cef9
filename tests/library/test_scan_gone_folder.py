"""A music folder the scan does not find (renamed, moved into another music folder, a drive
unplugged): the scan's line must say what became of its tracks, and ``stats`` must count the
error the scan said."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.library.gone_roots import MOVED_ADVICE
from musicsage.library.scan import scan_roots


def _errors(conn) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute("SELECT path, message FROM errors")]


def test_a_folder_moved_into_another_music_folder_says_its_tracks_moved(conn, music):
    """It said "not found (its tracks are marked missing)" with 3 moved and 0 marked, and
    stats counted 0 errors where the scan had said 1."""
    a, b = music / "A", music / "B"
    for i in range(3):
        write_audio(a / f"t{i}.flac", tags={"title": f"T{i}"})
    write_audio(b / "b.flac", tags={"title": "B"})
    scan_roots(conn, [str(a), str(b)])
    a.rename(b / "A")
    rep = scan_roots(conn, [str(a), str(b)])
    assert (rep.moved, rep.missing) == (3, 0)
    assert rep.errors == [(str(a), "not found (its 3 tracks were found moved elsewhere: "
                                   "forget this folder if it is gone for good)")]
    assert _errors(conn) == [(str(a), rep.errors[0][1])]


def test_a_gone_folder_whose_tracks_are_marked_missing_is_counted_until_it_is_back(conn, music):
    a = music / "A"
    for i in range(2):
        write_audio(a / f"t{i}.flac", tags={"title": f"T{i}"})
    scan_roots(conn, [str(a)])
    a.rename(music / "elsewhere")
    rep = scan_roots(conn, [str(a)])
    assert rep.missing == 2
    assert rep.errors == [
        (str(a), f"not found (its 2 tracks are marked missing: {MOVED_ADVICE})")]
    assert _errors(conn) == rep.errors
    rep = scan_roots(conn, [str(a)])
    assert rep.errors == [
        (str(a), f"not found (its 2 tracks are still marked missing: {MOVED_ADVICE})")]
    assert _errors(conn) == rep.errors
    (music / "elsewhere").rename(a)
    rep = scan_roots(conn, [str(a)])
    assert (rep.reappeared, rep.errors, _errors(conn)) == (2, [], [])
