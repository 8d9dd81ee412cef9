"""Another library opened (File ▸ Open demo library, back to one's own): the map of the one
left is gone at once, before the new one is read — none of its points is there to click,
labelled "Loading the library…" until the new library's map comes."""

from __future__ import annotations


def test_the_map_of_the_library_left_is_emptied_at_once(qtbot, make_window, library,
                                                        tmp_path):
    from musicsage.context import AppContext

    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=60_000)
    assert w.app.set_context(AppContext.create(tmp_path / "other-data"))
    assert len(w.map.track_ids) == 0 and len(w.map.xy) == 0
    assert w.map.nearest(0.0, 0.0, 10.0) is None
