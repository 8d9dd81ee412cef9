"""Text that did not fit where it was drawn (a screenshot review at 1024x640 and 1400x860): the
search box's placeholder cut to "Search title, artist, album (…", and the selected track's
name laid over the neighbour rings drawn beside it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QStyle, QStyleOptionFrame, QToolButton

from gui_support import shown_map
from musicsage.gui.library_panel import LibraryPanel
from musicsage.gui.map_view import Colouring

NARROWEST_PANEL = 180
"""The left panel's minimum width (:class:`~musicsage.gui.main_window.MainWindow`)."""


def _text_room(edit) -> int:
    """The width a QLineEdit draws its (placeholder) text in: its contents, less the text
    margins, the clear button's place (kept while the box is empty) and Qt's 2 px a side."""
    opt = QStyleOptionFrame()
    edit.initStyleOption(opt)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, edit)
    margins = edit.textMargins()
    right = min([b.geometry().x() for b in edit.findChildren(QToolButton)]
                + [contents.right() + 1])
    return right - contents.left() - margins.left() - margins.right() - 4


def test_the_search_placeholder_fits_the_narrowest_panel(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(NARROWEST_PANEL, 600)
    panel.show()
    qtbot.waitExposed(panel)
    edit = panel.search
    text = edit.placeholderText()
    assert "Ctrl+F" in text and not edit.text()
    assert edit.fontMetrics().horizontalAdvance(text) <= _text_room(edit), text
    tip = edit.toolTip()
    assert all(word in tip for word in ("title", "artist", "album", "Ctrl+F")), tip


def _rings_under(view, rect: QRect, ids) -> int:
    spots = [view.plot.mapFromScene(view.scene_pos_of(t)) for t in ids]
    return sum(1 for s in spots if rect.contains(s))


def test_the_selected_name_goes_where_it_hides_no_neighbour_rings(qtbot):
    """The name went above right of the point even with every ring there; the other side is
    free, and the name now goes there."""
    view, _ = shown_map(qtbot, 450, 530, tools=False)
    rng = np.random.default_rng(8)
    far = rng.uniform(0, 10, (30, 2))
    far = far[np.abs(far - 5).max(axis=1) > 2.5]  # nothing else near the selected point
    near = [(5.0, 5.0)] + [(5.4 + 0.3 * i, 5.25) for i in range(6)]  # the rings: above right
    xy = np.vstack([near, far]).astype(np.float32)
    n = len(xy)
    view.set_points(np.arange(1, n + 1), xy, ["Selected track"] + [f"t{i}" for i in range(n - 1)],
                    Colouring(np.arange(n) % 3, ["a", "b", "c"]))
    qtbot.wait(20)
    rings = list(range(2, len(near) + 1))
    view.set_selection(1, graph_ids=rings)
    qtbot.wait(20)
    label = view._label.geometry()
    point = view.plot.mapFromScene(view.scene_pos_of(1))
    above_right = QRect(QPoint(int(point.x() + 10), int(point.y() - label.height() - 6)),
                        label.size())  # where the name used to go
    assert view.rect().contains(above_right), "it fits there: only the rings move it"
    assert _rings_under(view, above_right, rings) >= 3
    assert view._label.isVisible()
    assert _rings_under(view, label, rings) == 0, (label, above_right)
    assert view.rect().contains(label)
    assert not any(label.intersects(o.geometry()) for o in view.fit_obstacles() if o.isVisible())


def test_a_map_kept_away_from_the_library_is_said_on_the_status_bar(qtbot, make_window,
                                                                    two_models):
    """`maps` a file: the map went to the per-user cache and only the terminal heard of it.
    The status bar says it now, once; cut at the window's edge, its tooltip has it whole."""
    from musicsage.search.model_maps import MAPS_DIR

    ctx, _first, second = two_models
    maps = ctx.search_dir / "graph" / MAPS_DIR
    maps.parent.mkdir(parents=True, exist_ok=True)
    maps.write_text("mine")
    w = make_window(ctx, wait=False)
    w.resize(1024, 640)
    qtbot.waitUntil(lambda: str(maps) in w.statusBar().currentMessage(), timeout=60_000)
    text = w.statusBar().currentMessage()
    assert text.startswith(f"{maps} is a file, not a folder: the map of graph-{second} is kept")
    assert text.endswith("(move the file away to keep maps with the library)")
    assert w.statusBar().toolTip() == text
    assert [t for _level, t in w.app.notifications if str(maps) in t] == [text]
