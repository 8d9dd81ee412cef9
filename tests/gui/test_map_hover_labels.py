"""The map's first draw on a big library: the hover text ("title — artist") of every point
was made on the GUI thread before the map was shown — 28,356 labels, about a second of a
frozen window on the 28k-track library imported from spotify_songs. A point's label is now
made when it is hovered or selected, and still reads as before."""

from __future__ import annotations

import numpy as np

from musicsage.usecases.snapshot import LibrarySnapshot


def test_the_map_draws_without_labelling_every_point_and_names_the_selected_one(
        qtbot, make_window, mapped_library, monkeypatch):
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    labelled: list[int] = []
    real = LibrarySnapshot.label
    monkeypatch.setattr(LibrarySnapshot, "label",
                        lambda self, t: labelled.append(int(t)) or real(self, t))
    with qtbot.waitSignal(w.map_loaded, timeout=30_000):
        w.app.map.refresh()
    ids = np.asarray(w.map.track_ids)
    assert len(labelled) < len(ids), "the draw labelled every point"
    snap = w.app.library.snapshot
    row = len(ids) // 2
    assert w.map._titles[row] == real(snap, int(ids[row]))  # the hover text of that point
    w.app.selection.select(int(ids[row]), play=False)
    qtbot.waitUntil(lambda: w.map._label_text == real(snap, int(ids[row])), timeout=30_000)
