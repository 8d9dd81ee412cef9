"""Colour categories for the map (Qt-free, so it is tested and reused without a window).

A map coloured by 3,000 artists is noise: only the most frequent categories get a colour (the
palette's size), the rest are grey "other". By playlist, those with the most tracks on the map
get them; a track in several playlists takes the largest coloured playlist it belongs to.

The legend's numbers: by genre tag, artist or album each entry counts its tracks (its
points), and so does the grey entry, which also says how many values it lumps together —
"12 other genres (84 tracks)" (:func:`lumped_name`): a bare "other (84 tracks)" hid whether
those were two more genres or two hundred. By playlist each entry gives the
playlist's size, as the playlist list does, while the grey points are the tracks in none of
the coloured playlists: "28 other playlists or none (56)" read as if those 28 playlists held
56 tracks. The grey entry says what it counts (:func:`other_entry`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Hashable, Iterable, Sequence

import numpy as np

from musicsage.text import counted

MAX_CATEGORIES = 12


def categorical(values: Sequence[str | None], *, max_categories: int = MAX_CATEGORIES
                ) -> tuple[np.ndarray, list[str]]:
    """codes[i] = index in names of values[i], or -1 (empty or not among the most frequent):
    the most frequent first, of equal counts the first by name. Only those few are ordered
    (a heap): sorting all 22,545 albums of a 28k-track map to keep 12 held the window."""
    counts = Counter(v for v in values if v)
    names = [name for name, _ in heapq.nsmallest(max_categories, counts.items(),
                                                 key=lambda kv: (-kv[1], kv[0]))]
    index = {n: i for i, n in enumerate(names)}
    codes = np.fromiter((index.get(v, -1) if v else -1 for v in values), np.int64, len(values))
    return codes, names


def multi_categorical(track_ids: Sequence[int], memberships: Iterable[tuple[Hashable, int]], *,
                      max_categories: int = MAX_CATEGORIES) -> tuple[np.ndarray, list]:
    """Like :func:`categorical` for many-to-many labels (category key, track id): the keys
    of the categories coloured, largest first (ties in key order), a track in several in the
    largest one's colour. The colours go to the categories with the most tracks among
    ``track_ids`` (on the map), then the largest: by size alone, twelve imported playlists
    of 100 tracks each with one track on the map took them all, and a 50-track playlist
    wholly on the map was left grey."""
    row = {int(t): i for i, t in enumerate(track_ids)}
    members: dict = {}
    for name, tid in memberships:
        members.setdefault(name, set()).add(int(tid))
    on_map = {name: sum(t in row for t in tracks) for name, tracks in members.items()}
    chosen = heapq.nsmallest(max_categories, (n for n in members if on_map[n]),
                             key=lambda n: (-on_map[n], -len(members[n]), n))
    order = sorted(chosen, key=lambda n: (-len(members[n]), n))
    codes = np.full(len(track_ids), -1, np.int64)
    for code in range(len(order) - 1, -1, -1):  # largest last, so it wins
        rows = [row[t] for t in members[order[code]] if t in row]
        codes[rows] = code
    return codes, order


def playlist_labels(playlists: Iterable[tuple[int, str, int]]) -> dict[int, str]:
    """The legend's name of each playlist, from its (id, name, size). Coloured by name, four
    playlists called "Indie Poptimism" (79, 46, 92 and 91 tracks) were one colour under
    "Indie Poptimism (308)". Each playlist now has its own colour and entry, named as in the
    playlist list, whose number (its size) tells same-named ones apart: "Indie Poptimism
    (92)", "Indie Poptimism (91)". Same-named playlists of the same size, which the list
    shows apart only by their order (by id), are numbered in that order: "Mix #1", "Mix #2"."""
    alike: dict[tuple[str, int], list[int]] = {}
    for pid, name, size in sorted(playlists):
        alike.setdefault((name, size), []).append(pid)
    return {pid: name if len(ids) == 1 else f"{name} #{rank}"
            for (name, _size), ids in alike.items() for rank, pid in enumerate(ids, 1)}


def lumped_name(more: int, noun: str, *, unset: bool) -> str:
    """The grey entry's name by genre tag, artist or album: the ``more`` values past the
    coloured ones (``noun``: "genre" → "12 other genres") and, when ``unset``, the tracks
    with no value at all ("… or none", as by playlist), so the user knows what the grey
    points stand for; "no genre" when only tracks without a value are grey."""
    if more:
        return counted(more, f"other {noun}") + (" or none" if unset else "")
    return f"no {noun}" if unset else "other"


def other_entry(other_name: str, tracks: int, *, by_size: bool) -> tuple[str, str]:
    """``(legend text, tooltip sentence)`` of the grey entry: ``other_name`` (what it lumps
    together, the map controller's words) holds ``tracks`` grey points. ``by_size``: the
    other entries give their playlists' sizes, not their points, so the grey entry's number
    is worded as the tracks in none of them, and what it lumps goes to the tooltip."""
    if not by_size:
        return f"{other_name} ({counted(tracks, 'track')})", ""
    return (f"{counted(tracks, 'track')} in none of these",
            f"Grey: the {counted(tracks, 'track')} in none of the coloured playlists "
            f"({other_name}).")


def playlist_footnote(more: int) -> list[str]:
    """The legend's note under the playlists' entries, a line each: their sizes add up to
    more tracks than the map has (316 for 240 on the demo), and 12 of its 40 playlists had
    entries, with nothing on the legend itself saying why (only its tooltip did)."""
    lines = ["A track in several playlists:", "the largest one's colour."]
    return lines + ([f"{counted(more, 'more playlist')}: no colour."] if more else [])
