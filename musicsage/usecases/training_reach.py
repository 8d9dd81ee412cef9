"""What training could keep of a library's playlists, read from its database: the parts of
:func:`~musicsage.graph.reports.training_need` that a count of usable memberships cannot tell.

An embed gives no vector to a track imported from a dataset dir without a file, to a missing
file, or to one whose analysis failed since it changed; "run `musicsage embed`, then
`musicsage train`" was said of playlists of such tracks, and the line came back the same
after every embed. And a playlist that holds one track with a vector beside tracks without
one is no shared playlist to training, which keeps vectored tracks alone: "train one" sent
the user to a ``train`` that refused.

``train`` and ``eval`` refuse here what the library lacks, before any step
(:func:`require_trainable`), in the words of :func:`command_line_need`: the split's own check
spoke of the memberships an evaluation left, and blamed it for playlists of one track.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    import sqlite3

    from musicsage.context import AppContext
    from musicsage.graph.config import TrainConfig
    from musicsage.graph.data import GraphData


def training_reach(conn: "sqlite3.Connection", model_id: str | None,
                   usable: int | None = None) -> dict[str, bool]:
    """``training_need``'s ``embeddable``, ``shared``, ``embed_pairs`` and ``missing`` for
    the library's playlists and the ``model_id`` vectors training reads (of the shown
    version, as :func:`~musicsage.library.relations.usable_memberships` counts them): whether
    an embed can give a vector now to some playlist track lacking one (the rule of
    :func:`~musicsage.usecases.left_out_notes.reanalysis_tail`: present, with a file, no
    failure since it changed), whether some playlist holds two tracks with one, whether an
    embed can make some playlist hold two (asked only where none does), and whether some
    playlist track lacking one is a missing file (asked only where an embed can do nothing;
    where no playlist holds two with a vector, only one that would make some hold two).
    A few queries, whatever the library: the window reads this on every reload. Where
    ``usable`` (:func:`~musicsage.library.relations.usable_memberships`) reaches
    :data:`~musicsage.graph.reports.MIN_MEMBERSHIPS` and some playlist holds two tracks with
    a vector, the library can train and nothing else is asked (``shared`` alone)."""
    from musicsage.library.queries import shown_version

    version = shown_version(conn, model_id) if model_id else None
    return _reach_of_version(conn, model_id, version, usable)


def usable_and_reach(conn: "sqlite3.Connection", model_id: str | None
                     ) -> tuple[int, dict[str, bool]]:
    """:func:`~musicsage.library.relations.usable_memberships` (counted up to
    :data:`~musicsage.graph.reports.MIN_MEMBERSHIPS`) and :func:`training_reach`, the shown
    version of ``model_id``'s vectors read once for both: each read it, twice a reload of
    the window (about 20 ms of the two's 60 to 90, a 20k-track library)."""
    from musicsage.graph.reports import MIN_MEMBERSHIPS
    from musicsage.library.queries import shown_version
    from musicsage.library.relations import usable_memberships_of

    version = shown_version(conn, model_id) if model_id else None
    usable = usable_memberships_of(conn, model_id, version, up_to=MIN_MEMBERSHIPS)
    return usable, _reach_of_version(conn, model_id, version, usable)


def _reach_of_version(conn: "sqlite3.Connection", model_id: str | None, version: str | None,
                      usable: int | None) -> dict[str, bool]:
    """:func:`training_reach` for ``version``, the shown version already read."""
    from musicsage.graph.reports import MIN_MEMBERSHIPS
    from musicsage.library.relations import (embeddable_playlist_tracks, missing_playlist_track,
                                             shared_playlist)

    shared = shared_playlist(conn, model_id, version)
    if shared and usable is not None and usable >= MIN_MEMBERSHIPS:
        return {"shared": True}  # it trains: the rest would change no line
    embeddable = embeddable_playlist_tracks(conn, model_id, version, up_to=1) > 0
    pairs = shared or (embeddable and shared_playlist(conn, model_id, version, by_embed=True))
    if embeddable and pairs:  # an embed is advised: nothing said of missing files
        missing = False
    else:  # once back, they add memberships; where none is shared, only those that would
        # make some playlist hold two (the cheap look first: a whole library's rows else)
        missing = missing_playlist_track(conn, model_id, version) and (shared or shared_playlist(
            conn, model_id, version, by_embed=True, once_back=True))
    return {"embeddable": embeddable, "shared": shared, "embed_pairs": pairs,
            "missing": missing}


def command_line_need(ctx: "AppContext", model: str | None = None, *,
                      unshared: bool = False) -> str | None:
    """What training needs of the library at ``ctx`` (None: it can train), read from its
    database in the command line's words (:func:`~musicsage.graph.reports.training_need`, the
    decision the window's lines make from a snapshot; the window puts its menu items in the
    commands' place: :data:`~musicsage.controllers.wording.WINDOW_HINTS`). ``model``: the
    audio model trained on (default: the library's current one — ``train --audio-model B``
    was judged by the other model's vectors, and let through). ``unshared``: the tracks
    trained on are known to share no playlist where the database's count sees one (vectors
    with NaN that no embed can redo, left out by training): said as no playlist holding two
    tracks with a vector, without embed advice (an embed cannot redo them)."""
    from musicsage.graph.reports import training_need
    from musicsage.library.db import connect
    from musicsage.library.queries import any_tracks, memberships
    from musicsage.library.relations import has_unresolved_entries
    from musicsage.usecases.embedding import current_audio_model_id

    conn = connect(ctx)
    model = model or current_audio_model_id(ctx)
    pairs = memberships(conn)
    usable, reach = usable_and_reach(conn, model)
    if unshared:
        reach = {"shared": False, "embeddable": False, "embed_pairs": False, "missing": False}
    return training_need(pairs, unresolved=has_unresolved_entries(conn), cli=True,
                         usable=usable, tracks=any_tracks(conn),  # none: scan first
                         **reach)


def require_trainable(ctx: "AppContext", conn: "sqlite3.Connection", data: "GraphData",
                      config: "TrainConfig") -> None:
    """Refuse a library the run ``config`` cannot train on, saying why: playlists whose
    entries name none of its tracks (:func:`require_resolved_entries`), then — for an
    objective that learns from pairs — playlists none of which holds two of its tracks
    with an audio vector (:func:`require_a_shared_playlist`)."""
    require_resolved_entries(conn, data)
    if config.objective != "dgi":  # DGI needs no pair (the line offers it)
        require_a_shared_playlist(ctx, data)


def require_a_shared_playlist(ctx: "AppContext", data: "GraphData") -> None:
    """Refuse a library in which no playlist holds two of the tracks trained on: it said
    "nothing to train on: no two tracks share a playlist among the 34 training memberships
    (the evaluation moves up to half of the tracks out of all their playlists …)" of 40
    playlists of one track each, where no evaluation was to blame and ``--objective dgi``
    (which ``models`` offers there) trains. Too few memberships are refused first, in their
    own words (:func:`~musicsage.graph.split_checks.require_memberships`). Judged by the
    audio model trained on (``--audio-model``, named then, without the advice to embed, which
    computes the library's current model), and refused even where the database's count sees
    a shared playlist that ``data`` lacks (vectors with NaN left out): either way the split's
    line came back, blaming the evaluation."""
    import numpy as np

    from musicsage.graph.split_checks import require_memberships

    require_memberships(data)
    if np.bincount(data.memberships[:, 1]).max() >= 2:  # (de-duplicated by GraphData.build)
        return
    from musicsage.usecases.embedding import current_audio_model_id

    other = data.audio_model != current_audio_model_id(ctx)  # `embed` makes none of its vectors
    why = (None if other else command_line_need(ctx, data.audio_model)  # vectors, missing files
           ) or command_line_need(ctx, data.audio_model, unshared=True)  # no embed can help
    on = f" (on its {data.audio_model!r} vectors, --audio-model)" if other else ""
    raise MusicsageError(f"the graph model{on} {why}")


def require_resolved_entries(conn: "sqlite3.Connection", data: "GraphData") -> None:
    """Refuse a library whose playlists have entries but none names a track of it, saying so:
    "0 playlist memberships … put more tracks in playlists" misled the user who had imported
    playlists whose paths all missed."""
    from musicsage.graph.reports import NEED_WAYS
    from musicsage.library.queries import playlist_rows
    from musicsage.text import counted, noun

    if data.library_memberships:
        return
    rows = playlist_rows(conn)
    missed = sum(int(r["unresolved"]) for r in rows)
    if missed:  # the hint ``models`` gives, which the window says in its words (a refused
        # Retrain's dock said "(`musicsage scan`)")
        raise MusicsageError(f"the graph model needs playlists that name tracks of the library: "
                             f"the {counted(missed, 'entry', 'entries')} of your "
                             f"{counted(len(rows), 'playlist')} "
                             f"{noun(missed, 'matches', 'match')} none of its tracks. "
                             f"{NEED_WAYS['unresolved'][1]}, or check the paths in the playlists")
