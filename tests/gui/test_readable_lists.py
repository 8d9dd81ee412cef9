"""The window's lists, map legend and library summary stay readable at the usual sizes:
side by side at 1280x800 the neighbour lists cut almost every title and artist ("Glassho…ss
Mix", "8bit …velix") beside empty room, an opened legend on a small map squeezed the points
into a strip under it, and the graph model's line took five lines of the library panel."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem

from gui_support import shown_map
from musicsage.gui.library_panel import LibraryPanel, graph_line, graph_tip
from musicsage.gui.map_legend import CROWDED_SHARE
from musicsage.gui.map_view import Colouring
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.panel_widths import LISTS_READABLE, readable_split
from musicsage.gui.track_list import TrackList, split_width
from musicsage.gui.window_settings import first_splitter_sizes
from musicsage.search.types import SimilarResult

DEMO_LABEL = "pinsage-musicnn-msd-max_pool (HR@10 0.628 on only 43 pairs)"
DEMO_NOTES = ["HR@10 0.628 on only 43 pairs"]


def rows(titles: list[str], artist: str) -> list[dict]:
    return [{"track_id": i + 1, "title": t, "artist": artist, "score": 0.9 - i / 100,
             "path": f"/m/{i}.flac"} for i, t in enumerate(titles)]


def test_the_lists_panel_starts_wide_enough_for_titles_where_the_map_can_spare_it():
    """1280 px: the first 588 px (46%) become 680, the map keeping 400; 1024 px: the lists
    go one above the other anyway and the map has nothing to spare; 1920 px: already wide;
    900 px: the sizes asked for were 14 px too wide, and the map lost them."""
    assert readable_split([200, 492, 588], 1280) == [200, 400, 680]
    assert readable_split([200, 1000, 600], 1800) == [200, 900, LISTS_READABLE]
    assert readable_split([200, 353, 471], 1024) == [200, 353, 471]
    assert readable_split([250, 787, 883], 1920) == [250, 787, 883]
    assert readable_split([200, 300, 414], 900) == [200, 300, 400]


def test_title_takes_what_short_artists_leave_and_artist_keeps_a_fair_share():
    assert split_width(300, 150, 80) == 220  # both whole: Title takes the spare width
    assert split_width(300, 400, 200) == 300 - 108  # neither whole: Artist keeps its 36%
    assert split_width(300, 400, 40) == 260  # a short artist gives the rest to Title


def test_at_1280x800_side_by_side_lists_show_the_demos_titles_and_artists_whole(qtbot):
    """The panel the first layout gives at 1280x800, a list of bold rows (in both lists):
    the titles the audit found cut, and the artist, are whole."""
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    _library, _map, lists = readable_split(first_splitter_sizes(1280), 1280)
    panel.resize(lists, 600)
    panel.show()
    qtbot.waitExposed(panel)
    titles = ["Paper Boats", "Tidal (Endless Mix)", "Glasshouse in Bristol", "Meadow Ember"]
    graph = rows(titles, "8bit Lumvelix")
    result = SimilarResult(query={"track_id": 99, "title": "Glass Engine"}, graph=graph,
                           audio=graph)
    panel.show_result(result, {})
    qtbot.wait(10)
    lst = panel.graph_list
    assert lst.width() < panel.width() / 2, "side by side"
    bold = QFont(lst.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    header = lst.header()
    assert header.sectionSize(1) >= max(metrics.horizontalAdvance(t) for t in titles) + 6
    assert header.sectionSize(2) >= metrics.horizontalAdvance("8bit Lumvelix") + 6


def test_a_long_artist_is_cut_at_its_end_a_title_in_its_middle(qtbot):
    lst = TrackList()
    qtbot.addWidget(lst)
    lst.set_rows(rows(["Glasshouse (Weightless Mix)"], "Kingston Meadow Sound System"))
    option = QStyleOptionViewItem()
    delegate = lst.itemDelegateForColumn(2)
    delegate.initStyleOption(option, lst.model().index(0, 2))
    assert option.textElideMode == Qt.TextElideMode.ElideRight
    assert lst.textElideMode() == Qt.TextElideMode.ElideMiddle  # the titles' columns


def test_the_score_header_says_what_it_is_and_that_the_lists_do_not_compare(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    for lst in (panel.graph_list, panel.audio_list):
        tip = lst.headerItem().toolTip(3)
        assert "cosine similarity" in tip and "different scales" in tip


@pytest.mark.parametrize("size", [(236, 490), (350, 530)])  # 800x600's map, 1024x640's
def test_an_opened_legend_on_a_small_map_scrolls_and_leaves_the_points_their_room(qtbot, size):
    """13 playlists' legend, opened by the user on a small window's map: it took the map's
    height above a 120-px strip of squeezed points; it now scrolls within its share and the
    points keep most of the map's width."""
    view, _tools = shown_map(qtbot, *size)
    n = 60
    xy = np.random.default_rng(2).uniform(0, 10, (n, 2)).astype(np.float32)
    xy[:, 1] *= 0.75  # wider than high, as the demo's map
    names = [f"Melbourne Kitchen Disco {i}" for i in range(13)]
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % 13, names))
    qtbot.wait(20)
    legend = view.legend
    assert legend.collapsed, "folded by default on a small map"
    tip = legend.header.toolTip()
    assert "Melbourne Kitchen Disco 0" in tip and "color:" in tip, "its colours on a hover"
    legend.toggle()
    view.fit()
    qtbot.wait(20)
    assert not legend.collapsed
    assert legend.height() <= size[1] * CROWDED_SHARE + 1 and legend.scroll.isVisible()
    (x0, x1), _ = view.view.viewRange()
    shown = (xy[:, 0].max() - xy[:, 0].min()) / (x1 - x0)  # the points' share of the width
    assert shown > 0.7, shown  # 0.57 and 0.59 under the whole legend


def test_the_graph_model_line_is_short_and_its_tooltip_says_the_rest(qtbot):
    line = graph_line(DEMO_LABEL, DEMO_NOTES)
    assert line == "Graph model: <b>trained</b> (HR@10&nbsp;0.628, only 43 pairs)"
    two = graph_line("spectral-x (model 2, HR@10 0.050)", ["model 2", "HR@10 0.050"])
    assert two.endswith("(model 2, HR@10&nbsp;0.050)")
    assert graph_line("x (HR@10 0.3)", ["HR@10 0.3"], unusable=True) == (
        "Graph model: <b>trained</b> (HR@10&nbsp;0.3) — unusable: Retrain")
    assert graph_line(None) == "Graph model: <b>not trained yet</b>"
    # a name that ends in brackets is not read as notes: it showed "trained (old)"
    assert graph_line("spectral (old)", []) == "Graph model: <b>trained</b>"
    tip = graph_tip(DEMO_LABEL, DEMO_NOTES)
    assert DEMO_LABEL in tip and "HR@10:" in tip and "few pairs" in tip
    assert graph_tip("x", [], unusable=True) == "Graph model in use: x — unusable: Retrain"
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(200, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_summary(tracks=240, missing=0, playlists=40, audio_model="musicnn-msd-max_pool",
                       audio_count=240, graph_model=DEMO_LABEL, graph_notes=DEMO_NOTES)
    lines = panel.summary.height() / panel.summary.fontMetrics().lineSpacing()
    assert lines < 6.5, lines  # 8 before: the graph model's line alone took 5
    assert DEMO_LABEL in panel.summary.toolTip()


def test_the_graph_line_shows_the_snapshots_notes_not_brackets_in_a_name():
    """The line took the label apart again: a lone model named "spectral (old)", with no
    HR@10, showed as "trained (old)"."""
    from pathlib import Path

    from musicsage.graph.store import GraphModelInfo
    from musicsage.usecases.snapshot import LibrarySnapshot

    def snapshot(metrics: dict) -> LibrarySnapshot:
        model = GraphModelInfo(id=3, name="spectral (old)", audio_model="spectral", created_at="",
                               dir=Path("."), params={}, metrics=metrics, fingerprint="",
                               is_current=True)
        return LibrarySnapshot(stats=None, tracks=[], playlists=[], memberships=[],
                               audio_model=None, graph_model=model)

    bare = snapshot({})
    assert (bare.graph_label, bare.graph_notes) == ("spectral (old)", [])
    assert graph_line(bare.graph_label, bare.graph_notes) == "Graph model: <b>trained</b>"
    few = snapshot({"graph": {"hr@10": 0.5}, "pairs": 2, "protocol": {"version": 3}})
    assert few.graph_label == "spectral (old) (HR@10 0.500 on only 2 pairs)"
    assert graph_line(few.graph_label, few.graph_notes) == (
        "Graph model: <b>trained</b> (HR@10&nbsp;0.500, only 2 pairs)")
