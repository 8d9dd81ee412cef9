"""The main window's panel widths (library, map, lists) at whatever width the window opens.

A fresh layout gets :func:`~musicsage.gui.panel_widths.set_first_split`'s widths; a saved one
(the splitter's state, which :mod:`musicsage.gui.window_settings` writes at close) keeps each
panel's share of the width. The splitter itself gives a change of width to the map and the
lists only (the library's stretch is 0): a layout saved at 1100 px kept the library at 200 px
on a 1920 px window for good, its playlist names and paths cut, while a fresh layout gave it
~300 px. Either way the widths follow the window until the user drags a handle; from then on
the splitter keeps what they chose.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QDataStream, QSettings
from PySide6.QtWidgets import QSplitter

from musicsage.gui.panel_widths import set_first_split
from musicsage.gui.panel_scroll import least_size

SPLITTER_KEY = "window/splitter"
"""Where :mod:`musicsage.gui.window_settings` keeps the splitter's state."""
WIDTHS_KEY = "window/panel_widths"
"""The panels' widths as laid out at the last close ("200,394,498"): the state holds the
widths last asked for, which the splitter may have squeezed (asked 1300 px in 1292)."""
SPLITTER_MAGIC = 0xFF
"""The first number of a state that ``QSplitter.saveState`` wrote."""


def saved_sizes(state: object) -> list[int] | None:
    """The panel widths in a ``QSplitter.saveState`` state, or None for anything else (no
    state yet, a settings file edited by hand). Read from the state itself rather than from
    a key of its own, so that layouts saved by earlier versions are shared out too."""
    if not isinstance(state, QByteArray) or state.isEmpty():
        return None
    stream = QDataStream(state)
    if stream.readInt32() != SPLITTER_MAGIC:
        return None
    stream.readInt32()  # the format's version
    count = stream.readUInt32()
    sizes = [stream.readInt32() for _ in range(min(count, 64))]
    ok = stream.status() == QDataStream.Status.Ok and len(sizes) == count
    return sizes if ok and sum(sizes) > 0 and min(sizes) >= 0 else None


def saved_widths(value: object) -> list[int] | None:
    """:data:`WIDTHS_KEY`'s widths, or None for a value not written by :meth:`PanelWidths.save`."""
    try:
        sizes = [int(v) for v in str(value).split(",")] if value else None
    except ValueError:
        return None
    return sizes if sizes and sum(sizes) > 0 and min(sizes) >= 0 else None


def shared_sizes(sizes: list[int], room: int, least: list[int]) -> list[int]:
    """``sizes`` made to fill ``room`` px, each panel keeping its share. A panel at 0 (the
    user collapsed it) stays collapsed; any other gets at least its ``least`` width, taken
    from the panels above theirs in proportion to what each has to spare. The same room
    gives back the same sizes, to the pixel."""
    total = sum(sizes)
    out = [s * room // total for s in sizes]
    by_remainder = sorted(range(len(sizes)), key=lambda i: -(sizes[i] * room % total))
    for i in by_remainder[:room - sum(out)]:
        out[i] += 1
    short = {i: least[i] - out[i] for i in range(len(out)) if sizes[i] > 0 and out[i] < least[i]}
    need = sum(short.values())
    spare = {i: out[i] - least[i] for i in range(len(out)) if i not in short
             and out[i] > least[i]}
    if need <= 0 or sum(spare.values()) < need:
        return out  # nothing to move, or too narrow for every least: the splitter squeezes
    for i, more in short.items():
        out[i] += more
    taken = {i: need * has // sum(spare.values()) for i, has in spare.items()}
    for i in sorted(spare, key=lambda i: -spare[i])[:need - sum(taken.values())]:
        taken[i] += 1
    return [size - taken.get(i, 0) for i, size in enumerate(out)]


class PanelWidths:
    """Lays the window's splitter out for the window's width: at its first show, then at
    each change of width until the user drags a handle (a drag is a choice; the
    splitter's own stretch keeps it from then on)."""

    def __init__(self, splitter: QSplitter, settings: QSettings) -> None:
        self.splitter = splitter
        sizes = (saved_widths(settings.value(WIDTHS_KEY))
                 or saved_sizes(settings.value(SPLITTER_KEY)))  # (saved by earlier versions)
        self.saved = sizes if sizes is not None and len(sizes) == splitter.count() else None
        """The widths at the last close; None: a fresh layout."""
        self.following = False  # from the first show until a drag
        self._shown = False
        splitter.splitterMoved.connect(self._dragged)

    def save(self, settings: QSettings) -> None:
        """Keep the widths as laid out, for the next launch to share out; a window closed
        before its panels showed keeps those saved before: an unshown splitter's widths are
        squeezed into a default size (31, 31, 30 px). Not only before the window showed (a
        logout right after an autostart), but while it showed another page ("Opening the
        library…", the welcome page of an empty library): the next launch gave each panel a
        third of the width."""
        if self._shown and self.splitter.isVisible():
            settings.setValue(WIDTHS_KEY, ",".join(str(s) for s in self.splitter.sizes()))

    def _dragged(self, *_args) -> None:
        self.following = False

    def shown(self, width: int) -> None:
        """The window shows (``width`` px wide): the first time, lay the panels out."""
        if not self._shown:
            self._shown = self.following = True
            self.fit(width)

    def resized(self, old_width: int, width: int) -> None:
        if self.following and old_width != width:
            self.fit(width)

    def fit(self, width: int) -> None:
        """Fit the panels to a window ``width`` px wide: to the room the splitter has in it,
        less a dock docked beside the panels (shared out of the window's width, a training
        dock on the right took its width from the map and the lists, squeezed to make room)."""
        if self.splitter.isVisible() and self.splitter.width() > 0:
            width = min(width, self.splitter.width())
        if self.saved is None:
            set_first_split(self.splitter, width)
            return
        s = self.splitter
        room = width - s.handleWidth() * (s.count() - 1)
        if room <= 0:
            return
        least = [least_size(s.widget(i)).width() for i in range(s.count())]
        s.setSizes(shared_sizes(self.saved, room, least))
