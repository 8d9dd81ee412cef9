"""The colours of the map's points and the rows of its legend (:mod:`musicsage.gui.map_view`
draws them): a module of its own so that the view keeps to the data, the view and the mouse.
"""

from __future__ import annotations

import html

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
PALETTE = ["#5b9cf0", "#ee7f2d", "#009e73", "#f0e442", "#d4504a", "#cc79a7", "#22eeee",
           "#bbbbff", "#77ee99", "#ffaabb", "#99aa66", "#a67c52"]
FOOTNOTE_STYLE = "color:#a3a7b3; font-size:11px;"
"""The legend's notes under its entries: smaller and greyer than the entries they explain."""


def legend_row(colour: str, text: str) -> str:
    """One entry of the legend: a disc of the points' ``colour`` and its ``text``."""
    return (f'<span style="color:{colour}; font-size:14px;">&#9679;</span>&nbsp;'
            f"{html.escape(text)}")


def footnote_rows(lines: list[str]) -> list[str]:
    """The legend's notes, one row each (kept short: the legend is as wide as its longest
    row, and every pixel of it is taken from the map)."""
    return [f'<span style="{FOOTNOTE_STYLE}">{html.escape(line)}</span>' for line in lines]
