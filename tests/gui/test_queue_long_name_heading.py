"""A queue named after a long one-word name (a playlist file's "summer_hits_…" name, an
untagged track's file name as a radio's seed) is shown in two lines at most, cut with "…",
and whole in the heading's tooltip. The heading wrapped only between words: the name was
cut off mid-word at the panel's edge, with nothing to read it whole by."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from musicsage.usecases.library import list_tracks

LONG_NAME = "Playlist: " + "_".join(["summer_hits_from_the_beach_house"] * 6) + " (5 tracks)"


def test_a_long_one_word_queue_name_is_cut_with_an_ellipsis_and_whole_in_its_tooltip(
        qtbot, make_window, library):
    w = make_window(library)
    w.right.setCurrentWidget(w.queue)
    qtbot.waitUntil(lambda: w.queue.isVisible())
    width_before = w.width()
    w.app.queue.play_list(sorted(t.id for t in list_tracks(library))[:5], LONG_NAME)
    qtbot.waitUntil(lambda: w.queue.list.count() == 5)
    heading = w.queue.heading
    assert heading.text() == LONG_NAME  # what scripts read: the whole name
    assert LONG_NAME in heading.toolTip()
    assert heading.geometry().right() < w.queue.width()
    drawn = QLabel.text(heading)  # the lines it draws
    assert drawn.count("\n") <= 1 and drawn.endswith("…"), drawn
    assert w.width() == width_before

