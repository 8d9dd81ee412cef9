"""``musicsage playlists [NAME_OR_ID]``: the library's playlists as the window's list shows
them — in name order, each with its number of tracks — with the id that ``suggest`` takes and
where it comes from; or one playlist's tracks in its order, as the window's Playlist tab."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from musicsage.commands.output import print_json
from musicsage.commands.registry import handler
from musicsage.commands.told_commands import on_library
from musicsage.context import AppContext, library_option
from musicsage.library.relations import NO_PLAYLISTS
from musicsage.text import columns, counted, elided, fitted, printable

if TYPE_CHECKING:
    from musicsage.usecases.playlists import PlaylistMembers, PlaylistSummary

NAME_WIDTH = 40
"""The name column is as wide as the longest name up to this many terminal columns; a longer
name is cut with "…" (:func:`~musicsage.text.fitted`), so that every row's "from" starts in
one column (a 30-character name in Japanese, 60 columns, pushed its row's 20 to the right):
the id before it is what ``suggest`` and ``playlists ID`` take, and ``--json`` has it whole."""

SHOWN_UNMATCHED = 20
"""A playlist's entries that match no track are listed up to this many, then counted ("… and
12 more"): a playlist of a drive long gone may hold thousands, and the lines that matter (its
tracks, which come first) would scroll away; ``--json`` lists every one."""


@handler("playlists")
def _playlists(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.controllers.playlist_order import sorted_playlists
    from musicsage.usecases.playlists import playlist_summaries

    if args.playlist is not None:
        _print_members(args, ctx, _members(args, ctx))
        return 0
    found = {s.id: s for s in playlist_summaries(ctx)}
    # the window's order: its rows are (id, name as one line shows it, count)
    rows = sorted_playlists([(s.id, printable(s.name), s.tracks) for s in found.values()])
    ordered = [found[pid] for pid, _name, _count in rows]
    if args.json:
        print_json({"playlists": [s.to_dict() for s in ordered]})
        return 0
    if not ordered:
        print(on_library(NO_PLAYLISTS))  # stdout is never rewritten: its words told here
        return 0
    width = min(max(columns(printable(s.name)) for s in ordered), NAME_WIDTH)
    print(f"{'id':>6}  {'tracks':>6}  {'name':<{width}}  from")
    for s in ordered:
        print(f"{s.id:>6}  {s.tracks:>6}  {fitted(printable(s.name), width)}  {from_text(s)}")
    library = library_option(ctx.data_dir)  # the commands it tells name the library listed
    print(f"{counted(len(ordered), 'playlist')}; `musicsage {library}playlists ID` lists one's "
          f"tracks, `musicsage {library}suggest ID` tracks to add to it")
    cut = sum(columns(printable(s.name)) > width for s in ordered)
    if cut:  # a player's or dataset's playlist has its name nowhere else; --add needs it
        whole = "it" if cut == 1 else "them"
        print(f"({counted(cut, 'name')} cut: `musicsage {library}playlists --json` has {whole} "
              "whole)")
    return 0


def from_text(s: "PlaylistSummary") -> str:
    """Where a playlist comes from, in a few words: its file (``~`` for the home folder, as
    ``suggest``'s list of same-named playlists writes it), else the player's library file or
    the dataset dir it was read from."""
    from musicsage.search.playlist_query import home_short
    from musicsage.usecases.playlists import DATASET, PLAYER

    where = printable(home_short(s.source_path))
    if s.source == PLAYER:
        return f"player library {where}"
    return f"dataset dir {where}" if s.source == DATASET else where


def _members(args: argparse.Namespace, ctx: AppContext) -> "PlaylistMembers":
    """The playlist PLAYLIST names; a name of several is refused as ``suggest`` refuses it,
    the candidates listed first (their ids are what to type next)."""
    from musicsage.commands.explore import _print_candidates
    from musicsage.search.playlist_query import AmbiguousPlaylist
    from musicsage.usecases.playlists import playlist_members

    try:
        return playlist_members(ctx, args.playlist)
    except AmbiguousPlaylist as exc:
        _print_candidates(args, exc)
        raise


def _print_members(args: argparse.Namespace, ctx: AppContext, found: "PlaylistMembers") -> None:
    from musicsage.library import paths as P

    s, unmatched = found.playlist, found.unmatched
    if args.json:
        print_json({"playlist": s.to_dict(), "tracks": [P.json_fields(
            {"position": i, "track_id": tid, "title": t and t.title, "artist": t and t.artist,
             "path": t and t.path, "status": t.status if t else "not found"})
            for i, (tid, t) in enumerate(found.tracks, 1)], "unresolved_entries": unmatched})
        return
    unresolved = (f"; {counted(s.unresolved, 'entry', 'entries')} not in the library"
                  if s.unresolved else "")
    print(f"{printable(s.name)} (#{s.id}, {counted(s.tracks, 'track')}{unresolved}) "
          f"from {from_text(s)}")
    for tid, t in found.tracks:
        if t is None:
            print(f"{tid:>7}  (no longer in the library)")
            continue
        label = f"{t.artist} - {t.display_title}" if t.artist else t.display_title
        where = (f"({printable(t.shown_path)})" + ("" if t.playable else "  [missing]")
                 if t.has_file else f"— {printable(t.shown_path)}")  # "no audio file (…)"
        print(f"{tid:>7}  {printable(label)}  {where}")
    _print_unmatched(ctx, s.id, unmatched)


def _print_unmatched(ctx: AppContext, playlist_id: int, unmatched: list[dict]) -> None:
    """The entries matching no track, under the tracks, by their place in the file (as the
    scan named them), the first :data:`SHOWN_UNMATCHED` of them, then how many more and
    where all are."""
    if not unmatched:
        return
    print("not in the library (as the file has them):")
    for entry in unmatched[:SHOWN_UNMATCHED]:  # the scan's width: a URL or deep path is cut
        print(f"{'#' + str(entry['position']):>7}  {printable(elided(entry['raw'], 200))}")
    if len(unmatched) > SHOWN_UNMATCHED:
        library = library_option(ctx.data_dir)
        print(f"      … and {len(unmatched) - SHOWN_UNMATCHED} more (`musicsage {library}"
              f"playlists {playlist_id} --json` lists all)")
