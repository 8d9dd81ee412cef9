"""Tracks whose files are missing (a drive unplugged, a file deleted) stay on the map, so one
coming back costs nothing, but they are greyed and drawn under the playable ones, and hovering
one says its file is missing, as the Playlist tab greys them. They were drawn as every other
point: the map's ``present`` mask went unread, and a click could only say "file not found"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui.map_colours import MISSING_TIP, OTHER_COLOUR, PALETTE, hover_text
from musicsage.gui.map_view import Colouring
from musicsage.library.db import connect
from musicsage.library.queries import present_track_ids
from musicsage.usecases.library import list_tracks, scan_library


def _pixel(view, image, x: float, y: float):
    p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
    return image.pixelColor(int(round(p.x())), int(round(p.y())))


def test_a_missing_tracks_point_is_greyed_and_says_so(qtbot):
    view, _tools = shown_map(qtbot, 400, 300)
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [5, 5]], np.float32)
    present = np.array([True, True, True, True, False])
    titles = [f"t{i}" for i in range(5)]
    view.set_points(np.arange(1, 6), xy, titles, Colouring(np.zeros(5, np.int64), ["Rock"]),
                    present=present)
    qtbot.wait(20)
    image = view.plot.grab().toImage()
    assert _pixel(view, image, 0, 0).name() == PALETTE[0], "a playable track keeps its colour"
    missing = _pixel(view, image, 5, 5)
    assert missing.name() not in (PALETTE[0], OTHER_COLOUR), "greyed, not drawn as the rest"
    assert max(missing.red(), missing.green(), missing.blue()) < 80, "dim on the dark map"
    assert hover_text(view._titles, view.present, 4) == "t4" + MISSING_TIP
    assert hover_text(view._titles, view.present, 0) == "t0"
    view.set_colouring(None)  # Colour by: None greys them too
    qtbot.wait(20)
    image = view.plot.grab().toImage()
    assert _pixel(view, image, 5, 5).name() != _pixel(view, image, 0, 0).name()


def test_the_window_greys_the_tracks_whose_files_are_gone(qtbot, make_window, library,
                                                          tmp_path):
    gone = list_tracks(library)[0]
    Path(gone.path).unlink()
    scan_library(library, [str(tmp_path / "src" / "music")])  # the library fixture's music
    assert gone.id not in present_track_ids(connect(library))
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    row = int(np.flatnonzero(w.map.track_ids == gone.id)[0])
    assert not w.map.present[row], "the missing file's point is greyed"
    assert w.map.present.sum() == len(w.map.track_ids) - 1, "every other point is not"
