"""The training dock opened on a large window and the window made small: the dock takes
the height it would open at there, not the large window's.

Opened at 1400x900 (300 px) and the window made 1024x700, it kept 259 px: the map 324 px
high, each neighbour list 3½ rows. Opened at 1024x700 it takes 195 px and the lists six
rows."""

from __future__ import annotations


def test_a_window_made_lower_gives_the_dock_its_opening_height(qtbot, make_window,
                                                               mapped_library):
    w = make_window(mapped_library)
    w.resize(1400, 900)
    qtbot.wait(50)
    w.show_training_dock()
    qtbot.waitUntil(lambda: w.training.height() >= 250, timeout=30_000)
    w.resize(1024, 700)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: w.training.height() <= w._dock_height() + 2, timeout=30_000)
    assert w.training.height() < 250
    w.resize(1024, 800)  # higher: the dock keeps its height (a user's drag holds)
    qtbot.wait(50)
    assert w.training.height() < 250
