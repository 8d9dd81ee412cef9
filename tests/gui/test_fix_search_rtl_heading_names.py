"""The Neighbours heading of a track whose right-to-left title holds " — " reads the same while
its lists load, once they come and when their lookup fails: the loading heading split the
window's label "Title — Artist" back at its first " — ", so "המוסד — רמיקס" by La Coka Nostra
was drawn "המוסד | La Coka Nostra — רמיקס" (the artist inside the title), and without an
artist its halves were swapped, both flipping when the lists came; a failed lookup's heading
was the raw label, a right-to-left line drawn flush right, the artist first."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtGui import QTextLayout

from gui_support import settle
from musicsage.search.types import SimilarResult

pytestmark = pytest.mark.usefixtures("shared_helper")

FIRST, SECOND = "המוסד", "רמיקס"
TITLE = f"{FIRST} — {SECOND}"  # a right-to-left title holding " — "
ARTIST = "La Coka Nostra"


def _x(line: str, font) -> list[float]:
    """Where each character of ``line`` is drawn, laid out as a label lays out its text (its
    direction read from the text)."""
    layout = QTextLayout(line, font)
    layout.beginLayout()
    drawn = layout.createLine()
    drawn.setLineWidth(10_000)
    layout.endLayout()
    return [drawn.cursorToX(i)[0] for i in range(len(line))]


def _read_in_order(line: str, font, artist: str | None) -> bool:
    """The line starts at the left, the title is one right-to-left run (its first half drawn
    right of its second, as the title reads) and the artist comes after the whole title."""
    x = _x(line, font)
    first, second = line.index(FIRST), line.index(SECOND)
    title_end = max(x[first:first + len(FIRST)])
    in_order = min(x[second:second + len(SECOND)]) < title_end and min(x) == x[0] < 50
    return in_order and (artist is None or title_end < x[line.index(artist)])


def test_a_right_to_left_title_holding_a_dash_reads_alike_loading_failed_and_found(
        qtbot, make_window, mapped_library, monkeypatch):
    from musicsage.controllers import selection
    from musicsage.gui.neighbours import FAILED_HEADING
    from musicsage.usecases.search import similar_tracks

    def broken(*_args, **_kwargs):
        raise RuntimeError("the index is unreadable")

    broken.__dict__.update(similar_tracks.__dict__)  # runs as the lookup declares
    w = make_window(mapped_library)
    settle(qtbot, w)
    snap, panel = w.app.library.snapshot, w.neighbours
    ids = sorted(snap.by_id)
    for tid, artist in zip(ids, (ARTIST, None)):  # the library's tags, as a scan read them
        snap.by_id[tid] = dataclasses.replace(snap.by_id[tid], title=TITLE, artist=artist)
    monkeypatch.setattr(selection, "similar_tracks", broken)
    font = panel.heading.font()
    for n, (tid, artist) in enumerate(zip(ids, (ARTIST, None)), start=1):
        w.app.selection.select(tid, play=False)
        loading, waiting = panel.heading.text().split("\n")
        assert waiting == "(finding neighbours…)"
        assert _read_in_order(loading, font, artist), loading
        qtbot.waitUntil(lambda n=n: len([m for m in w.app.notifications
                                         if "unreadable" in m[1]]) == n, timeout=30_000)
        settle(qtbot, w)
        failed, why = panel.heading.text().split("\n")
        assert why == FAILED_HEADING and failed == loading, failed
        assert _read_in_order(failed, font, artist), failed
        panel.show_result(SimilarResult(query={"track_id": tid, "title": TITLE,
                                               "artist": artist}), {})
        assert panel.heading.text() == loading, "it flipped when the lists came"
    third = snap.by_id[ids[2]]  # a left-to-right name reads as it did
    w.app.selection.select(third.id, play=False)
    assert panel.heading.text() == f"{third.title} — {third.artist}\n(finding neighbours…)"
    qtbot.waitUntil(lambda: len([m for m in w.app.notifications
                                 if "unreadable" in m[1]]) == 3, timeout=30_000)
    settle(qtbot, w)
    assert panel.heading.text() == f"{third.title} — {third.artist}\n{FAILED_HEADING}"
