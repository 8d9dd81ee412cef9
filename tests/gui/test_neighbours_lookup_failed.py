"""A neighbour lookup that fails after the lists started loading (pytest-qt, offscreen).

Play similar and Save… wait, greyed, while a track's lists load ("a moment"); a lookup that
failed left them so for good, under the previous track's lists and a heading still
"finding neighbours…"."""

from __future__ import annotations

import pytest

from gui_support import settle

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_a_failed_neighbour_lookup_leaves_no_button_waiting(qtbot, make_window, library,
                                                            monkeypatch):
    from musicsage.controllers import selection
    from musicsage.gui.neighbours import FAILED_TIP, LOADING_TIP
    from musicsage.usecases.search import similar_tracks

    def broken(*_args, **_kwargs):
        raise RuntimeError("the index is unreadable")

    broken.__dict__.update(similar_tracks.__dict__)  # runs as the lookup declares
    w = make_window(library)
    settle(qtbot, w)
    first, second = sorted(w.app.library.snapshot.by_id)[:2]
    panel = w.neighbours
    w.app.selection.select(first, play=False)
    qtbot.waitUntil(lambda: panel.play_similar_button.isEnabled(), timeout=30_000)
    monkeypatch.setattr(selection, "similar_tracks", broken)
    w.app.selection.refresh_neighbours()  # a reload's refresh of the same track fails
    qtbot.waitUntil(lambda: len([n for n in w.app.notifications if "unreadable" in n[1]]) == 1,
                    timeout=30_000)
    settle(qtbot, w)
    assert panel.play_similar_button.isEnabled(), "the track's own lists are still right"
    w.app.selection.select(second, play=False)
    qtbot.waitUntil(lambda: len([n for n in w.app.notifications if "unreadable" in n[1]]) == 2,
                    timeout=30_000)
    settle(qtbot, w)
    for button in (panel.play_similar_button, panel.save_button):
        assert not button.isEnabled(), "they acted on the first track's lists"
        assert button.toolTip() == FAILED_TIP and LOADING_TIP not in button.toolTip()
    assert "finding" not in panel.heading.text() and "status line" in panel.heading.text()
    assert panel.graph_list.track_ids() == [] and panel.audio_list.track_ids() == []
    monkeypatch.setattr(selection, "similar_tracks", similar_tracks)
    w.app.selection.select(second, play=False)  # as the tooltip says: select it again
    qtbot.waitUntil(lambda: panel.play_similar_button.isEnabled(), timeout=30_000)
