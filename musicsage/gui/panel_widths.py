"""The first widths of the window's three panels (library, map, lists): the pair of neighbour
lists widened until most rows read whole, and the library panel widened on a wide window.

Why a module of its own: it is the window's layout arithmetic, kept apart from the lists'
widget (:mod:`musicsage.gui.neighbours`); the window (:mod:`musicsage.gui.window_layout`)
imports it from here."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter

from musicsage.gui.window_settings import first_splitter_sizes

LISTS_READABLE = 700
"""The right panel's width at which two lists side by side show most rows whole: each list
~340 px, room for the demo library's bold titles up to their 75th percentile (~145 px with
the cell's margins) and most artists beside the ◆ and the score. At 1280x800 the panel's
first 588 px (46%) cut almost every title and artist ("Glassho…ss Mix", "8bit …velix"); at
680 px (the map keeping :data:`MAP_KEEPS`) only the longest titles are cut."""
MAP_KEEPS = 400
"""The least width the map keeps when the lists panel is widened to :data:`LISTS_READABLE`:
the tools' bar and the open legend of a genre colouring side by side, and room for the
points. A playlists' legend (wider) folds beside the tools there, as at 1024 px: its
header's tooltip lists its colours, and opened it goes under the tools."""

LIBRARY_SHARE = 0.16
"""Of a wide window, what the library panel gets at first (more than its fixed 250 px from
1600 px on): its playlist names, search results and track fields are read too."""
LIBRARY_MOST = 400
"""The library panel's widest first width: past it, names fit and the map gains more."""


def readable_split(sizes: list[int], width: int) -> list[int]:
    """The first panel widths [library, map, lists] (``first_splitter_sizes``) of a window
    ``width`` px wide, with the lists widened towards :data:`LISTS_READABLE`, taken from the
    map while it keeps :data:`MAP_KEEPS` px (at 1024 px the lists go one above the other,
    each at the panel's whole width, and the map has nothing to spare). Sizes wider than the
    window (the map's least, 300 px, at 900) give the excess from the lists: the splitter
    took it from the map too."""
    library, map_width, lists = sizes
    lists -= max(0, library + map_width + lists - width)
    wider = max(lists, min(LISTS_READABLE, map_width + lists - MAP_KEEPS))
    return [library, map_width + lists - wider, wider]


def wider_library(sizes: list[int], width: int) -> list[int]:
    """[library, map, lists] with the library widened to :data:`LIBRARY_SHARE` of ``width``
    (up to :data:`LIBRARY_MOST`), taken from the lists down to :data:`LISTS_READABLE`, then
    from the map down to :data:`MAP_KEEPS`. At 1920x1080 it kept 250 px (playlist names and
    search results cut, the audio model's name wrapped) beside lists of ~440 px each with
    half their height blank."""
    library, map_width, lists = sizes
    want = min(LIBRARY_MOST, int(width * LIBRARY_SHARE)) - library
    from_lists = max(0, min(want, lists - LISTS_READABLE))
    from_map = max(0, min(want - from_lists, map_width - MAP_KEEPS))
    return [library + from_lists + from_map, map_width - from_map, lists - from_lists]


def set_first_split(splitter: QSplitter, width: int) -> None:
    """Give the window's splitter (``width`` px wide) its first widths:
    ``first_splitter_sizes`` made :func:`readable_split`, then :func:`wider_library`, in
    the room its handles leave."""
    room = width - splitter.handleWidth() * (splitter.count() - 1)
    splitter.setSizes(wider_library(readable_split(first_splitter_sizes(width), room), room))
