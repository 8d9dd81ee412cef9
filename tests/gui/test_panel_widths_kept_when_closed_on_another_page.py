"""A window closed while it shows another page keeps the panel widths saved before.

Closed on the welcome page of an empty library, or while "Opening the library…" (a large
library, a logout right after an autostart), the window saved its hidden splitter's widths
(31, 31, 30 px: a hidden splitter's default) as the layout; the next launch shared them out
as thirds, the library panel as wide as the lists, and the layout chosen before was lost.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from musicsage.gui.window_layout import WIDTHS_KEY
from musicsage.gui.window_settings import first_splitter_sizes


def _saved(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_closed_on_the_welcome_page_the_next_launch_gets_a_fresh_layout(
        qtbot, make_window, ctx, library, tmp_path):
    from musicsage.context import AppContext

    empty = make_window(AppContext.create(tmp_path / "empty library"))
    assert not empty.splitter.isVisible()  # the welcome page, not the panels
    empty.close()
    assert _saved(tmp_path).value(WIDTHS_KEY) is None
    w = make_window(library)
    qtbot.waitUntil(lambda: w.splitter.isVisible() and w.splitter.width() > 1000)
    fresh = first_splitter_sizes(w.splitter.width())[0]
    assert abs(w.splitter.sizes()[0] - fresh) <= 40  # not a third of the window


def test_closed_while_the_library_opens_the_saved_widths_stay(
        qtbot, make_window, library, tmp_path):
    _saved(tmp_path).setValue(WIDTHS_KEY, "260,420,620")
    w = make_window(library, wait=False)
    assert not w.splitter.isVisible()  # "Opening the library…"
    w.close()
    settings = _saved(tmp_path)
    assert settings.value(WIDTHS_KEY) == "260,420,620"
    assert settings.value("window/splitter") is None
    qtbot.waitUntil(lambda: not w.workers.busy)  # its read of the library cancelled
