"""Choosing a 30,000-track playlist held the window 0.6 s fitting the Playlist tab's columns:
every row's four cells were written each time one cell's text was asked, for every row. A
cell is now its column's text alone, and a list past :data:`SAMPLED_ROWS` rows is weighed on
that many rows spread over it (with its last row and a row of each reason not to play), to
the same widths wherever its rows' texts are alike; up to that, every row, as before."""

from __future__ import annotations

import pytest

from musicsage.controllers.playlist_tracks import PlaylistRow
from musicsage.gui import playlist_rows, track_view
from musicsage.gui.track_view import SAMPLED_ROWS, TrackView, sampled_rows


def _rows(count: int, missing_at: dict[int, str] | None = None) -> tuple[PlaylistRow, ...]:
    """``count`` rows of alike texts (one title shape, 30 artists, lengths up to 9:59), some
    that cannot play (``missing_at``: row index → reason)."""
    missing_at = missing_at or {}
    return tuple(PlaylistRow(i + 1, i + 1, f"Song {i % 900:03d} Meadow", f"Artist {i % 30:02d}",
                             f"/m/{i}.flac", 60.0 + (i * 7) % 540, missing_at.get(i, ""))
                 for i in range(count))


def _view(qtbot, rows) -> TrackView:
    view = TrackView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.rows_model.show(rows)
    return view


def _widths(view: TrackView) -> tuple[int, ...]:
    view._needs = None
    view._fit_columns()
    return view._needs


def test_a_cell_writes_its_own_columns_text_alone(monkeypatch):
    written = []
    monkeypatch.setattr(playlist_rows, "format_length",
                        lambda seconds: written.append(seconds) or "1:00")
    row = _rows(1)[0]
    texts = [playlist_rows.PlaylistRowsModel.text(row, c) for c in range(3)]
    assert texts == ["1", "Song 000 Meadow", "Artist 00"]
    assert written == [], "the Time cell is written only when it is asked"
    assert playlist_rows.PlaylistRowsModel.text(row, 3) == "1:00"


def test_a_playlist_of_normal_size_weighs_every_row():
    rows = _rows(SAMPLED_ROWS)
    assert list(sampled_rows(rows)) == list(range(SAMPLED_ROWS))


def test_a_big_playlist_is_weighed_on_a_sample_of_bounded_size(qtbot, monkeypatch):
    rows = _rows(30_000)
    view = _view(qtbot, rows)
    asked = []
    text = playlist_rows.PlaylistRowsModel.text
    monkeypatch.setattr(view.rows_model, "text", lambda row, c: asked.append(c) or text(row, c))
    _widths(view)
    assert len(asked) <= 4 * (SAMPLED_ROWS + 10), f"{len(asked)} cells written for 4 widths"


def test_widths_from_a_sample_are_those_of_every_row_for_alike_texts(qtbot, monkeypatch):
    rows = _rows(12_000, {11_999: "missing", 7_777: "not found"})  # a lone "not found"
    sampled = _widths(_view(qtbot, rows))
    monkeypatch.setattr(track_view, "SAMPLED_ROWS", len(rows))
    assert _widths(_view(qtbot, rows)) == sampled
    picked = sampled_rows(rows)
    assert 11_999 in picked and 7_777 in picked, "the last row and each reason weighed"


@pytest.mark.parametrize("count", [0, 1, SAMPLED_ROWS + 1])
def test_sampled_rows_are_rows_of_the_list_in_order(count):
    picked = list(sampled_rows(_rows(count)))
    assert picked == sorted(set(picked)) and all(0 <= i < count for i in picked)
    assert len(picked) <= SAMPLED_ROWS + 1
