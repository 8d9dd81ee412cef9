"""What training could keep of a library's playlists, read from its database: the parts of
:func:`~musicsage.graph.reports.training_need` that a count of usable memberships cannot tell.

An embed gives no vector to a track imported from a dataset dir without a file, to a missing
file, or to one whose analysis failed since it changed; "run `musicsage embed`, then
`musicsage train`" was said of playlists of such tracks, and the line came back the same
after every embed. And a playlist that holds one track with a vector beside tracks without
one is no shared playlist to training, which keeps vectored tracks alone: "train one" sent
the user to a ``train`` that refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import sqlite3

    from musicsage.context import AppContext


def training_reach(conn: "sqlite3.Connection", model_id: str | None,
                   memberships: Sequence[tuple[int, int]]) -> dict[str, bool]:
    """``training_need``'s ``embeddable`` and ``shared`` for ``memberships`` (distinct
    (playlist id, track id) pairs) and the ``model_id`` vectors training reads (of the shown
    version, as :func:`~musicsage.library.relations.usable_memberships` counts them):
    whether an embed can give a vector now to some playlist track lacking one (the rule of
    :func:`~musicsage.usecases.left_out_notes.reanalysis_tail`: present, with a file, no
    failure since it changed), and whether some playlist holds two tracks with one."""
    from musicsage.library.queries import embedding_versions, shown_version, track_summaries
    from musicsage.usecases.left_out_notes import failed_analyses

    version = shown_version(conn, model_id) if model_id else None
    vectored = {t for t, v in embedding_versions(conn, model_id).items()
                if v == version} if version is not None else set()
    by_playlist: dict[int, int] = {}
    for playlist, track in set(memberships):
        by_playlist[playlist] = by_playlist.get(playlist, 0) + (track in vectored)
    lacking = sorted({track for _p, track in memberships} - vectored)
    rows = track_summaries(conn, lacking).values()
    # one track at a time: the first an embed can analyse settles it (each failure is a read)
    embeddable = any(_analysable(row) and not failed_analyses(conn, [row], model_id)
                     for row in rows)
    return {"embeddable": embeddable, "shared": max(by_playlist.values(), default=0) >= 2}


def _analysable(row: dict) -> bool:
    """Whether an embed reads the track of ``row`` now: present, with an audio file."""
    from musicsage.library.paths import is_file_path

    return row.get("status") == "present" and is_file_path(str(row.get("path") or ""))


def command_line_need(ctx: "AppContext") -> str | None:
    """What training needs of the library at ``ctx`` (None: it can train), read from its
    database in the command line's words (:func:`~musicsage.graph.reports.training_need`, the
    decision the window's lines make from a snapshot; the window puts its menu items in the
    commands' place: :data:`~musicsage.controllers.wording.WINDOW_HINTS`)."""
    from musicsage.graph.reports import MIN_MEMBERSHIPS, training_need
    from musicsage.library.db import connect
    from musicsage.library.queries import any_tracks, memberships
    from musicsage.library.relations import has_unresolved_entries, usable_memberships
    from musicsage.usecases.embedding import current_audio_model_id

    conn = connect(ctx)
    model = current_audio_model_id(ctx)
    pairs = memberships(conn)
    return training_need(pairs, unresolved=has_unresolved_entries(conn), cli=True,
                         usable=usable_memberships(conn, model, up_to=MIN_MEMBERSHIPS),
                         tracks=any_tracks(conn),  # none: scan first, as `train` says
                         **training_reach(conn, model, pairs))
