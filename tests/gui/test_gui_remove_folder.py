"""File › Remove music folder (pytest-qt, offscreen): asked first; then the folder's tracks
leave the map, the lists and the queue, a selected one among them is deselected, and the
status line says what was done — no file touched."""

from __future__ import annotations

import pytest

from gui_support import settle
from music_support import make_music
from musicsage.usecases.library import list_tracks, scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def menu_entries(w) -> list[str]:
    menu = w.actions_.remove_folder
    menu.aboutToShow.emit()
    return [a.text() for a in menu.actions()]


def test_removing_a_music_folder_asks_then_takes_its_tracks_away(qtbot, make_window, library,
                                                                 tmp_path):
    from musicsage.usecases.embedding import embed_library

    more, _, paths = make_music(tmp_path / "more", n_tracks=4, seed=5)
    scan_library(library, [str(more)])
    embed_library(library, "spectral")
    on_disk = {p: p.read_bytes() for p in paths}
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 16, timeout=30_000)
    music = str(tmp_path / "src" / "music")
    assert menu_entries(w) == [f"{more}  (4 tracks)", f"{music}  (12 tracks)"]

    doomed = {t.id for t in list_tracks(library) if t.path.startswith(str(more))}
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(min(doomed), play=False)
    w.app.queue.play_list(sorted(t.id for t in list_tracks(library))[:14], "Some")
    asked = []
    w.confirm = lambda title, text: asked.append(text) or False
    w.actions_.remove_folder.actions()[0].trigger()
    assert asked and asked[0].startswith(f"Remove {more} from the library?")
    assert "4 tracks leave the library" in asked[0] and "no file is deleted" in asked[0]
    settle(qtbot, w)
    assert len(w.map.track_ids) == 16, "answered Cancel: nothing removed"

    w.confirm = lambda title, text: True
    known = {int(t): tuple(p) for t, p in zip(w.map.track_ids, w.map.xy.tolist())}
    menu_entries(w)
    w.actions_.remove_folder.actions()[0].trigger()
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=30_000)
    settle(qtbot, w)
    assert not doomed & set(w.map.track_ids.tolist())
    assert all(known[int(t)] == tuple(p) for t, p in zip(w.map.track_ids, w.map.xy.tolist())), \
        "the other tracks keep their places on the map"
    assert w.app.map.points.method == "placed"
    assert w.app.selection.selected is None and w.map.selected is None
    assert w.map_tools.lines == (None, [], []), "no lines left to the old neighbours"
    assert w.neighbours.audio_list.topLevelItemCount() == 0
    assert w.library.details.title() == "Track (none selected)"
    assert not doomed & set(w.app.queue.tracks) and len(w.app.queue.tracks) == 12
    assert any(text.startswith(f"Removed {more} from the library: 4 tracks left it")
               for _level, text in w.app.notifications)
    assert menu_entries(w) == [f"{music}  (12 tracks)"]
    assert {p: p.read_bytes() for p in paths} == on_disk


def test_recompute_map_lays_the_map_out_afresh(qtbot, make_window, library):
    """With music placed on the saved map, Map ▸ Recompute map is how to get a fresh layout:
    it visibly computes (the map says so) and comes back laid out, not from the cache."""
    w = make_window(library)
    qtbot.waitUntil(lambda: w.app.map.points is not None, timeout=30_000)
    settle(qtbot, w)
    assert w.app.map.points.method in ("cached", "pca")
    messages = []
    w.app.map.message.connect(messages.append)
    with qtbot.waitSignal(w.map_loaded, timeout=60_000):
        w.actions_.recompute_map.trigger()
    assert messages[:1] == ["Computing the map…"]
    assert w.app.map.points.method == "pca" and not w.app.map.points.cached  # 12 tracks
