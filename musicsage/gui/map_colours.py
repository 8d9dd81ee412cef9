"""The colours of the map's points and the rows of its legend (:mod:`musicsage.gui.map_view`
draws them): a module of its own so that the view keeps to the data, the view and the mouse.
"""

from __future__ import annotations

import html
import re
from typing import Sequence

import numpy as np

from musicsage.controllers.map_tools import isolated
from musicsage.gui.map_points import argb
from musicsage.gui.plain import plain_tooltip
from musicsage.text import elided

OTHER_COLOUR = "#6b6f7d"
PLAIN_COLOUR = "#a3a7b3"
"""Every point with "Colour by: None": a neutral grey, lighter than :data:`OTHER_COLOUR`. In
the palette's first colour, the saturated blue of its largest category (Drum & Bass on the
demo), a plain map read as a map of one genre."""
# In legend order (the largest categories first), on the dark background, no grey: every pair
# at least 15 CIEDE2000 apart (the Tableau set before: 9, a mauve and a pink; its light grey
# was the grey of "other"), 8 under simulated deuteranopia and protanopia (before: 1), 24
# from OTHER_COLOUR and 10 from the selection's, search's and region's marks (measured with a
# teal last). The last is a brown now, 30 CIE76 from its nearest (the olive), the only pair
# of near hues one much darker: the teal ("Best of Ambient" by playlist) could not be told
# from the cyan ("Energy"), two blue-greens side by side in the legend.
MISSING_ALPHA = 0.3
"""A track whose file is missing (a drive unplugged, a file deleted) is drawn in the grey of
"other" at this opacity, under the others, as the Playlist tab greys it: drawn like the rest,
a click on it could only say "file not found" (``MapPoints.present`` was left unread)."""
MISSING_TIP = " (file missing)"
PALETTE = ["#5b9cf0", "#ee7f2d", "#009e73", "#f0e442", "#d4504a", "#cc79a7", "#22eeee",
           "#bbbbff", "#77ee99", "#ffaabb", "#99aa66", "#a67c52"]
FOOTNOTE_STYLE = "color:#a3a7b3; font-size:11px;"
"""The legend's notes under its entries: smaller and greyer than the entries they explain."""


NUMBERED = re.compile(r" #\d+$")
"""The number that tells same-named playlists of one size apart in the legend ("Mix #2":
:func:`~musicsage.controllers.colouring.playlist_labels`)."""


def legend_name(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters for the legend, keeping its " #2" where it has
    one: cut at the end, two long same-named playlists read as one name twice, in two
    colours, their numbers cut off. A name in a right-to-left script is set apart
    (:func:`~musicsage.controllers.map_tools.isolated`): the size after it was drawn before
    it, "(35) שירים לנסיעה ארוכה", and the row's disc at its far end."""
    number = NUMBERED.search(name)
    if number is None or len(name) <= limit:
        return isolated(elided(name, limit))
    return isolated(elided(name[:number.start()], max(limit - len(number.group()), 2))
                    + number.group())


def legend_row(colour: str, text: str) -> str:
    """One entry of the legend: a disc of the points' ``colour`` and its ``text``."""
    return (f'<span style="color:{colour}; font-size:14px;">&#9679;</span>&nbsp;'
            f"{html.escape(text)}")


def footnote_rows(lines: list[str]) -> list[str]:
    """The legend's notes, one row each (kept short: the legend is as wide as its longest
    row, and every pixel of it is taken from the map)."""
    return [f'<span style="{FOOTNOTE_STYLE}">{html.escape(line)}</span>' for line in lines]


def greyed_missing(colours: np.ndarray, order: np.ndarray | None,
                   present: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``colours`` (ARGB words, in row order) with the tracks not ``present`` greyed, and the
    drawing ``order`` (later on top) with those first, under the playable ones."""
    if present.all():
        return colours, order
    colours = colours.copy()
    colours[~present] = argb(OTHER_COLOUR, MISSING_ALPHA)
    rows = np.arange(len(colours)) if order is None else np.asarray(order)
    return colours, np.concatenate([rows[~present[rows]], rows[present[rows]]])


def hover_text(titles: Sequence[str], present: np.ndarray, row: int) -> str:
    """What hovering point ``row`` shows: its title, and that its file is missing — as
    written (:func:`~musicsage.gui.plain.plain_tooltip`: Qt took a title like
    ``<i>Hello</i> <3`` for markup and showed "Hello" in italics, the rest cut off)."""
    title = titles[row] if row < len(titles) else ""
    return plain_tooltip(title + (MISSING_TIP if row < len(present) and not present[row] else ""))
