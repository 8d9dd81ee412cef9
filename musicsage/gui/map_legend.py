"""The map's keys: the colour legend (top left) and the key to the marks (bottom left),
overlays that always fit the map, however many entries.

Colouring by playlist in a library with 40 or 400 playlists gives a long legend; a plain label
would run off the bottom of the map. This one scrolls inside the map's height (leaving room
for the selection key at the bottom), and its header collapses it to one line when the map
itself is what you want to see — on its own on a map too narrow for both (a small window), or
too narrow for the open legend beside the map tools (at 1024x640 it went under them and took
the top half of the map), or where it would leave the points too little of the map
(:data:`CLEAR_SHARE`), until the header is clicked; folded, its header's tooltip lists the
colours, and opened on such a map it takes no more than :data:`CROWDED_SHARE` of the map's
height (it scrolls), so the points keep theirs. Its rows are set a little smaller than
the window's text, so more of the map stays in view. It keeps the small interface the map view uses for a label
(``setText``/``text``/``adjustSize``/``move``/``show``/``hide``), so the map view only
creates it.

The key to the marks (:class:`MapKey`) folds the same way on a map so small that, open, it
would cover a large share of it; what it lists is decided elsewhere
(:func:`musicsage.controllers.map_tools.map_key_entries`), this only lays it out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractButton, QFrame, QLabel, QScrollArea, QToolButton,
                               QVBoxLayout, QWidget)

from musicsage.gui.focus_ring import MAP_FOCUS_COLOUR, RING_WIDTH, focus_padding
from musicsage.gui.plain import plain_tooltip

HEADER_STYLE = (" QToolButton { color: #e6e6e6; background: transparent; font-weight: bold;"
                f" border: {RING_WIDTH}px solid transparent; border-radius: 3px;"
                f" {focus_padding(3, 6)} text-align: left; }}"
                f" QToolButton:focus {{ border: {RING_WIDTH}px solid {MAP_FOCUS_COLOUR}; }}")
"""A key's header button: the border is there, transparent, so that the focus outline
takes no room; border and padding together are 3 px by 6 px, however wide the outline."""
STYLE = ("QFrame#mapLegend { background: rgba(20, 21, 28, 215); border: 1px solid #3a3d4a;"
         " border-radius: 4px; }"
         " QLabel { color: #e6e6e6; background: rgba(20, 21, 28, 205); border: 1px solid #3a3d4a;"
         " border-radius: 4px; padding: 6px; }"
         " QFrame#mapLegend QLabel { background: transparent; border: none; padding: 1px 6px; }"
         + HEADER_STYLE + " QScrollArea { background: transparent; border: none; }")
BOTTOM_ROOM = 96
"""Pixels kept free under the legend: the selection key and the region bar sit at the bottom."""
RIGHT_ROOM = 10
"""Pixels kept free right of the legend. The map tools' buttons at the top right are not
reserved here: a legend too wide to sit beside them goes under them (``map_tools``), whole,
instead of being cut to the room beside them ("Drum & Bass (3")."""
COMPACT_FONT = 0.9
"""The rows' font, relative to the window's: a compact legend covers fewer points."""
KEY_STYLE = ("QFrame#mapKey { background: rgba(20, 21, 28, 205); border: 1px solid #3a3d4a;"
             " border-radius: 4px; }"
             " QFrame#mapKey QLabel { color: #e6e6e6; background: transparent; border: none;"
             " padding: 6px; }" + HEADER_STYLE)
KEY_SHARE = 0.15
"""The most of the map's area the open key may cover; on a smaller map it folds to its
header. At 800x500 with the training dock open the map is 223x205 px and the open key, on two
lines, covered a fifth of it (the points were squeezed into the rest); at 1024x640 it covers
8%, at 800x500 without the dock 11%, and stays open."""
CROWDED_SHARE = 0.4
"""The most of the map's height an open legend takes (it scrolls beyond) on a map too narrow
for the points beside it: at 800x600 and 1024x640 the whole legend, opened, pushed the fit
(:mod:`~musicsage.gui.map_fit`) to squeeze every point into a 120-px strip under it. On such
a map the points are as wide as the map and leave room above them: the legend takes that."""
CLEAR_SHARE = 0.6
"""The least of the map's area the open legend must leave clear, beside it or under it (the
larger; :func:`clear_share`), or it folds. At 1400x860 coloured by playlist the open legend
was 210 px wide and 300 tall on a 470-px map: the points were fitted into a 230-px column
beside it (58% of the map was clear under it); at 900x600 the genre legend left 52%. The
genre legend at 1400x860 leaves 68%, and stays open."""
CLEAR_MARGIN = 8
"""How far (px) the fit keeps the points from the legend (:data:`musicsage.gui.map_fit.MARGIN`,
not imported: that module imports this one)."""
CROWDED_ROWS = 3
"""The rows an open legend shows however small the map (it scrolls to the rest)."""
TIP_ROWS = 16
"""The folded legend's tooltip lists this many entries at most ("… and 12 more")."""
FOLDED_HEADER = "▸ Legend"
"""The folded legend's header: it says no more, so that it fits beside the map tools of a
small window's map (the number of entries is in its tooltip)."""


def clear_share(width: int, height: int, right: int, bottom: int) -> float:
    """The share of a ``width`` × ``height`` map clear of a legend at its top left, reaching
    ``right`` and ``bottom`` (px): the larger of the parts beside it and under it, where the
    map's fit (:func:`~musicsage.gui.map_marks.free_rect`) puts the points."""
    if width <= 0 or height <= 0:
        return 1.0
    beside = max(0, width - right - CLEAR_MARGIN) * height
    under = width * max(0, height - bottom - CLEAR_MARGIN)
    return max(beside, under) / (width * height)


def text_padding(widget: QLabel | QAbstractButton) -> int:
    """How much wider than its text ``widget`` asks to be (padding, frame, margins), measured
    on the text it shows; a px either way, by rounding, on another text. Guessed, a name
    label's 17 px were taken for 12 and the label came out wider than the room for it."""
    return widget.sizeHint().width() - widget.fontMetrics().horizontalAdvance(widget.text())


class MapLegend(QFrame):
    """A collapsible, scrollable legend placed over the top-left of its parent."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mapLegend")
        self.setStyleSheet(STYLE)
        self._entries: list[str] = []
        """The legend's entries (html, one a row), for the count and the tip."""
        self._notes: list[str] = []
        """The lines of its note under them (:func:`~musicsage.gui.map_colours.footnote_rows`):
        no entries; kept apart, not found by their style in the html, so that an entry named
        with that style's text is still counted."""
        self._choice: bool | None = None
        """The user's choice from the header (collapsed or not); None: automatic."""
        self._narrow = False
        self.room_beside: int | None = None
        """Pixels free beside the map tools at the top (set by ``map_tools``); None: no tools."""
        self.header = QToolButton(self)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.header.clicked.connect(self.toggle)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        font = self.body.font()
        font.setPointSizeF(font.pointSizeF() * COMPACT_FONT)
        self.body.setFont(font)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop with nothing to act on
        self.scroll.viewport().setAutoFillBackground(False)
        self.body.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 4)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll)
        parent.installEventFilter(self)
        self._update_header()
        self.hide()  # until the map gives it entries: it read "Legend (0)" over an empty map

    # -- the label interface the map view uses ---------------------------------------------------
    def setTextFormat(self, fmt) -> None:  # noqa: N802 - QLabel's name
        self.body.setTextFormat(fmt)

    def setText(self, html: str) -> None:  # noqa: N802 - QLabel's name
        """Entries only, one a line (the label interface); a note goes through
        :meth:`set_lines`."""
        self.body.setText(html)
        self._entries = [r for r in re.split(r"<br\s*/?>", html) if r.strip()] if html else []
        self._notes = []
        self._update_header()

    def set_lines(self, entries: Sequence[str], notes: Sequence[str] = ()) -> None:
        """Its ``entries`` (html rows), then the lines of its note under them."""
        self._entries, self._notes = list(entries), list(notes)
        self.body.setText("<br>".join(self._entries + self._notes))
        self._update_header()

    def text(self) -> str:
        return self.body.text()

    @property
    def rows(self) -> int:
        """Its entries, not the lines of its note."""
        return len(self._entries)

    def adjustSize(self) -> None:  # noqa: N802 - Qt's name
        self._fit()

    # -- behaviour -------------------------------------------------------------------------------
    @property
    def collapsed(self) -> bool:
        """Collapsed to its header: as the user last chose, else when the map is narrower
        than twice the open legend (it covered the points on a 140-px map), the open legend
        does not fit beside the map tools (under them it took the top of a small map) or it
        leaves less than :data:`CLEAR_SHARE` of the map clear (the points were squeezed)."""
        return self._choice if self._choice is not None else self._narrow

    def toggle(self) -> None:
        self._choice = not self.collapsed
        self._fit()

    def _update_header(self) -> None:
        folded = self.collapsed
        self.header.setText(FOLDED_HEADER if folded else self._open_header())
        self.header.setToolTip(self._folded_tip() if folded else "Hide the legend")

    def _folded_tip(self) -> str:
        """The folded legend's tooltip: its entries, colours included. Folded by default on a
        small window's map, the legend left its colours unexplained until it was opened; a
        hover over the header now tells them."""
        rows = self._entries + self._notes
        if not rows:
            return "Show the legend"
        more = len(rows) - TIP_ROWS
        return ("<b>Click to show the legend</b><br>" + "<br>".join(rows[:TIP_ROWS])
                + (f"<br>… and {more} more" if more > 0 else ""))

    def _open_header(self) -> str:
        return f"▾ Legend ({self.rows})"

    def _header_width(self, text: str) -> int:
        """The header's width with ``text``, whichever it shows now."""
        return self.header.fontMetrics().horizontalAdvance(text) + text_padding(self.header)

    def folded_width(self) -> int:
        """Its width folded to its header, whether folded now or not: the map tools keep room
        for it beside them (``map_tools``)."""
        return self._header_width(FOLDED_HEADER) + 12

    def _fit(self) -> None:
        """As tall as its rows, but never taller than the map leaves room for."""
        parent = self.parentWidget()
        room = max(60, (parent.height() if parent else 600) - self.y() - BOTTOM_ROOM)
        self.body.adjustSize()
        content = self.body.sizeHint()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        # the open header's width, not the folded one's: measured folded, a legend of few
        # rows fitted beside the tools, opened, no longer fitted, folded, … without end
        open_width = max(self._header_width(self._open_header()), content.width()) + 12
        beside = self.room_beside is None or open_width <= self.room_beside
        crowded = bool(parent) and parent.width() < 2 * open_width
        if crowded:  # no room beside the points: it takes only the room above them
            least = CROWDED_ROWS * self.body.fontMetrics().lineSpacing() + 40
            room = min(room, max(least, int(parent.height() * CROWDED_SHARE)))
        open_height = min(room, self.header.sizeHint().height() + content.height() + 12)
        cramped = bool(parent) and clear_share(parent.width(), parent.height(),
                                               self.x() + open_width,
                                               self.y() + open_height) < CLEAR_SHARE
        self._narrow = crowded or cramped or (bool(parent) and not beside)
        self.scroll.setVisible(not self.collapsed)
        self._update_header()
        header = self.header.sizeHint()  # its new text's: folding once kept the open width
        body_h = 0 if self.collapsed else content.height() + 4
        height = min(room, header.height() + body_h + 8)
        scrolls = header.height() + body_h + 8 > room
        width = header.width() + 12 if self.collapsed else (
            max(header.width(), content.width() + (bar if scrolls else 0)) + 12)
        limit = (parent.width() if parent else 800) - self.x() - RIGHT_ROOM
        self.resize(max(header.width() + 12, min(width, limit)), height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False


class MapKey(QFrame):
    """The key to the marks on the map: its entries on one line, wrapped on a map narrower
    than that; on a map where it would cover more than :data:`KEY_SHARE`, folded to a
    "▸ Key" button (its entries in the button's tooltip) until the user opens it — opened,
    it lies over the map and its header folds it again. Otherwise mouse events go through
    it, as through a label."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mapKey")
        self.setStyleSheet(KEY_STYLE)
        self._choice: bool | None = None
        """Folded (True) or open, as the user chose on a small map; None: folded there."""
        self._small = False
        self._open_size = (40, 20)
        self.line_width = 0
        """The width of the open key on one line (it wraps on a map narrower than that)."""
        self.header = QToolButton(self)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.header.clicked.connect(self.toggle)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        font = self.font()  # the legend's: in the window's, it wrapped at 1024x640
        font.setPointSizeF(font.pointSizeF() * COMPACT_FONT)
        for widget in (self, self.header, self.body):  # a styled child keeps its own font
            widget.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # inside the frame's border (its stylesheet)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self._apply()

    def setText(self, text: str, playlist: str = "") -> None:  # noqa: N802 - QLabel's name
        """The key's rich ``text``; ``playlist``: the whole name of the playlist it names,
        which ``text`` may shorten ("playlist ‘A very long n…’"): the body's tooltip then
        holds it, and the key takes the mouse so that the tooltip shows."""
        self.body.setWordWrap(False)
        self.body.setText(text)
        self.body.adjustSize()
        self.line_width = self.body.sizeHint().width() + 2
        self.body.setWordWrap(True)
        words = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
        cut = bool(playlist) and playlist not in words
        self.body.setToolTip(plain_tooltip(f"Playlist: {playlist}") if cut else "")
        self.body.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not cut)
        self.header.setToolTip(plain_tooltip(  # a playlist named "<b>Party</b>" as written
            f"Show the key: {words}" + (f"\nPlaylist: {playlist}" if cut else "")))
        self._pass_mouse()

    def _pass_mouse(self) -> None:
        """Open on a roomy map the key is a label the mouse goes through; small, its header
        clicks, and with a cut playlist name (the body's tooltip) that tooltip shows."""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents,
                          not self._small and not self.body.toolTip())

    def text(self) -> str:
        return self.body.text()

    @property
    def folded(self) -> bool:
        """Folded to its header: on a small map (see :meth:`fit_to`), unless the user
        opened it there."""
        return self._small and self._choice is not False

    @property
    def peeking(self) -> bool:
        """Opened by the user on a small map: it lies over the map, on top of the selected
        track's name (the user asked to read it)."""
        return self._small and not self.folded

    def toggle(self) -> None:
        self._choice = not self.folded
        self._apply()
        self.raise_()

    def fit_to(self, width: int, height: int) -> None:
        """Size it for a ``width`` × ``height`` map: open, as wide as its line (wrapped to
        the map's width less the margins); folded where, open, it would cover more than
        :data:`KEY_SHARE` of the map."""
        open_width = max(40, min(self.line_width, width - 20))
        open_height = self.body.heightForWidth(open_width - 2) + 2
        self._open_size = (open_width, open_height)
        self._small = open_width * open_height > KEY_SHARE * width * height
        self._apply()

    def _apply(self) -> None:
        folded = self.folded
        self.header.setVisible(self._small)
        self.header.setText("▸ Key" if folded else "▾ Key")
        self.body.setVisible(not folded)
        self._pass_mouse()
        header = self.header.sizeHint()
        bottom = self.y() + self.height()  # it grows upwards: it sits at the map's foot
        if folded:
            self.resize(header.width() + 2, header.height() + 2)
        else:
            width, height = self._open_size
            self.resize(width, height + (header.height() if self._small else 0))
        self.move(self.x(), bottom - self.height())
