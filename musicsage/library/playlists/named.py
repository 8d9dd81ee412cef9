"""Which stored playlist each list read from a player that keeps no ids (Rhythmbox) is.

Rhythmbox knows its playlists by their names only, so :mod:`.players` keys them by name (and
rank among lists of one name). A list renamed there would be a new playlist — a new id, and a
trained model's vector for it lost — unless it is found again by its entries. Here the name
wins over the entries, so that a copy of a list (same entries, new name) never takes the
original's id while the original is edited. Pure: the caller reads and moves the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.library.playlists.players import PlayerPlaylist


@dataclass(frozen=True)
class StoredList:
    """A stored playlist of a name-keyed source, as :func:`match_named` weighs it."""

    pid: int
    name: str
    rank: int
    """Its place among the stored lists of its name (1 for ``Mix``, 2 for ``Mix~2``)."""
    entries: tuple[str, ...]


def rank(key: str, name: str) -> int:
    """1 for the first list of a name, n for ``name~n`` (:func:`.players._unique_keys`)."""
    tail = key[len(name):] if key.startswith(name) else ""
    return int(tail[1:]) if tail[:1] == "~" and tail[1:].isdecimal() and tail[1:].isascii() else 1


def match_named(rows: list[StoredList], playlists: list[PlayerPlaylist]) -> dict[str, int]:
    """Which stored row (id) each playlist read is, by key; a list without one is new. The
    name wins over the entries, so a copy of a list never takes the original's id: first the
    same name and entries; then the same name in order (a list edited) — where a name has
    fewer lists than rows, a row whose entries a list of a new name now has leaves it (renamed
    away); last, a list still without a row takes a row left with its entries (renamed).
    A list renamed and edited between two reads is new: nothing tells it apart."""
    raws = {pl.key: tuple(e.raw for e in pl.entries) for pl in playlists}
    by_name: dict[str, list[StoredList]] = {}
    for row in sorted(rows, key=lambda r: (r.rank, r.pid)):
        by_name.setdefault(row.name, []).append(row)
    lists: dict[str, list[PlayerPlaylist]] = {}
    for pl in playlists:
        lists.setdefault(pl.name, []).append(pl)
    taken: dict[str, int] = {}
    for name, pls in lists.items():  # the same name and entries
        for pl in pls:
            row = next((r for r in by_name.get(name, []) if r.pid not in taken.values()
                        and r.entries == raws[pl.key]), None)
            if row is not None:
                taken[pl.key] = row.pid
    renamed_to = {raws[pl.key] for pl in playlists if pl.name not in by_name}
    for name, pls in lists.items():  # the same name: edited
        left = [r for r in by_name.get(name, []) if r.pid not in taken.values()]
        waiting = [pl for pl in pls if pl.key not in taken]
        away = [r for r in left if r.entries in renamed_to][:max(0, len(left) - len(waiting))]
        for pl, row in zip(waiting, [r for r in left if r not in away]):
            taken[pl.key] = row.pid
    free: dict[tuple, list[int]] = {}
    for row in sorted(rows, key=lambda r: r.pid):
        if row.pid not in taken.values():
            free.setdefault(row.entries, []).append(row.pid)
    for pl in playlists:  # renamed: the same entries under another name
        if pl.key not in taken and free.get(raws[pl.key]):
            taken[pl.key] = free[raws[pl.key]].pop(0)
    return taken
