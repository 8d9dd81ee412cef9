"""A saved panel layout keeps each panel's share of the width at another window size.

A layout saved on a 1100 px window kept the library panel at its 200 px on a 1920 px window
(the splitter gives a change of width to the map and the lists only), for good: playlist
names and the track's path cut, where a fresh layout gives the library ~300 px there."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from gui_support import settle
from musicsage.gui.window_layout import saved_sizes, saved_widths, shared_sizes


def _reopen(qtbot, ctx, tmp_path, width: int, height: int):
    """A second launch on the settings ``make_window`` saved, at another window size (the
    fixture's own windows open at 1300x800)."""
    from musicsage.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False)
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    settle(qtbot, w)
    return w


def _shares(w) -> list[float]:
    sizes = w.splitter.sizes()
    return [s / sum(sizes) for s in sizes]


def test_a_layout_saved_on_a_small_window_keeps_its_shares_on_a_large_one(
        qtbot, make_window, mapped_library, tmp_path):
    w = make_window(mapped_library)
    w.resize(1100, 700)
    qtbot.waitUntil(lambda: sum(w.splitter.sizes()) > 1000 and w.splitter.width() == 1100)
    small = _shares(w)
    w.close()
    big = _reopen(qtbot, mapped_library, tmp_path, 1920, 1080)
    try:
        library = big.splitter.sizes()[0]
        assert abs(_shares(big)[0] - small[0]) < 0.01, (big.splitter.sizes(), small)
        assert library >= 300, "the library panel widens with the window"
        assert max(abs(a - b) for a, b in zip(_shares(big), small)) < 0.01
        big.resize(1280, 800)  # no drag yet: the panels keep following the window
        qtbot.waitUntil(lambda: abs(_shares(big)[0] - small[0]) < 0.01, timeout=30_000)
    finally:
        big.close()


def test_a_dragged_width_is_kept_as_a_share_and_the_same_size_exactly(
        qtbot, make_window, mapped_library, tmp_path):
    """The user's drag is a choice: it holds through a resize and is what the next launch
    shares out; at the same window size it comes back to the pixel."""
    w = make_window(mapped_library)
    before = w.splitter.sizes()
    w.splitter.moveSplitter(380, 1)  # what dragging the library's handle does
    dragged = w.splitter.sizes()
    assert dragged[0] == 380 and dragged != before
    w.resize(1400, 800)
    qtbot.waitUntil(lambda: w.splitter.width() == 1400)
    assert w.splitter.sizes()[0] == 380, "after a drag the splitter keeps the user's width"
    w.resize(1300, 800)
    qtbot.waitUntil(lambda: w.splitter.width() == 1300)
    saved = w.splitter.sizes()
    w.close()
    same = _reopen(qtbot, mapped_library, tmp_path, 1300, 800)
    try:
        assert same.splitter.sizes() == saved
        same.resize(1950, 1000)
        qtbot.waitUntil(lambda: same.splitter.sizes()[0] >= 380 * 1.4, timeout=30_000)
    finally:
        same.close()


def test_shares_keep_collapsed_panels_and_least_widths():
    assert shared_sizes([200, 394, 498], 1092, [180, 140, 360]) == [200, 394, 498]
    wider = shared_sizes([200, 394, 498], 1912, [180, 140, 360])
    assert sum(wider) == 1912 and wider[0] == 350
    assert shared_sizes([0, 500, 500], 1500, [180, 140, 360]) == [0, 750, 750], \
        "a collapsed panel stays collapsed"
    narrow = shared_sizes([150, 900, 900], 1000, [180, 140, 360])
    assert sum(narrow) == 1000 and narrow[0] == 180 and narrow[2] >= 360
    # too narrow for every panel's least: shares as they are, the splitter squeezes
    assert sum(shared_sizes([300, 300, 300], 600, [180, 300, 360])) == 600


def test_only_what_the_window_wrote_gives_saved_sizes():
    from PySide6.QtWidgets import QSplitter, QWidget

    splitter = QSplitter()
    for _ in range(3):
        splitter.addWidget(QWidget())
    splitter.resize(1000, 300)
    splitter.setSizes([200, 300, 492])
    assert saved_sizes(splitter.saveState()) == splitter.sizes()
    for junk in (None, "", "200,300", QByteArray(b"\x00\x00\x00\xffjunk"), QByteArray()):
        assert saved_sizes(junk) is None
    assert saved_widths("200,394,498") == [200, 394, 498]
    for junk in (None, "", "wide", "0,0,0", "-5,400,400"):  # a settings file edited by hand
        assert saved_widths(junk) is None
