"""What ``musicsage map`` says of the library's tracks its map of a space leaves off besides
those with a damaged vector: of another analysis version, or with no vector in the space —
and, of those, which an ``embed`` gives one and why the others get none (missing files,
tracks imported without a file, files whose scan or analysis failed, damaged vectors no
embed mends). Kept apart from :mod:`musicsage.commands.explore`, which they took past its
size limit."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.text import counted


def unmapped(ctx: AppContext, found, points) -> dict[str, str]:
    """The lines on the library's tracks that ``points`` (a space's map) leaves off besides
    those with a damaged vector (``left_out``): ``other_version``, those analysed with other
    settings than the rest (:meth:`~musicsage.usecases.spaces.SearchSpaces.left_out`), and
    ``no_vector``, those with no vector in the space (:func:`_no_vector_said`) — "2 tracks
    mapped" of a library of 15 named none of the 13 (nor why), so the tracks seemed gone.
    Empty when every track is on the map."""
    import numpy as np

    from musicsage.library.db import connect
    from musicsage.library.queries import library_track_ids

    space, conn = points.space, connect(ctx)
    lines = {"other_version": found.left_out(space)} if found.left_out(space) else {}
    ids = library_track_ids(conn)
    told = found.left_out_ids(space) | found.damaged_ids(space)  # said by the other lines
    lacking = sorted(set(ids[~np.isin(ids, points.track_ids)].tolist()) - told)
    if lacking:
        why = _no_vector_said(ctx, conn, points, lacking)
        lines["no_vector"] = f"{counted(len(lacking), 'track')} left out: {why}"
    return lines


def _no_vector_said(ctx: AppContext, conn, points, lacking: list[int]) -> str:
    """Why ``lacking`` have no vector in ``points``' space, in the words ``similar`` and
    ``suggest`` use of a query or members without one, ``embed`` advised only of those it
    can analyse: not of missing files nor tracks imported without one (every one such: the
    dataset dir to import again, as ``export`` says), nor of those whose scan or analysis
    failed (:func:`~musicsage.usecases.left_out_notes.failed_analyses`), told why instead,
    nor (graph) of those whose audio vector is damaged beyond an embed, told in the words of
    :func:`~musicsage.usecases.graph_vectors.damaged_note` — both map notes sent them all to
    an ``embed`` that skips or fails on them again. A graph note that advises no embed (every
    one damaged so; a training's advice) is said as it is."""
    from musicsage.errors import EMBED_HINT
    from musicsage.graph.store import current_model
    from musicsage.library.queries import track_summaries
    from musicsage.search.similar import no_vector_note
    from musicsage.search.suggest import failures_said
    from musicsage.text import noun
    from musicsage.usecases.embedding import unplaced_note
    from musicsage.usecases.graph_vectors import damaged_note
    from musicsage.usecases.left_out_notes import embed_cannot_analyse, failed_analyses

    space, who = points.space, noun(len(lacking), "it", "each")
    note = unplaced_note(ctx, who, lacking) if space == "graph" else no_vector_note(space, who)
    if not note.endswith(f"({EMBED_HINT})"):
        return note
    graph = current_model(conn, ctx) if space == "graph" else None
    model = graph.audio_model if graph is not None else points.model_id  # the vectors lacked
    damaged = _damaged_beyond_embed(conn, model, lacking) if graph is not None else []
    rows = [row for track_id, row in track_summaries(conn, lacking).items()
            if track_id not in damaged]
    split = [(row, failed_analyses(conn, [row], model)) for row in rows]
    others = [row for row, failure in split if not failure]
    failures = [failure[0] for _row, failure in split if failure]
    apart = len(failures) + len(damaged)  # told after the advice, with why
    if not apart:
        return _reimported(space, rows) or embed_cannot_analyse(note, rows)
    head = no_vector_note(space, who).partition(" (")[0]
    said = embed_cannot_analyse(note, others, apart) if others else head
    if others and said == note:  # an embed analyses every other one: advised of them alone
        advice = note.partition(" (")[0]
        said = f"{advice}: an embed analyses {len(others)} of them ({EMBED_HINT})"
    if failures and others:
        said += f" ({len(failures)} of them: {failures_said(failures)})"
    elif failures:
        said += f": {failures_said(failures)}"
    if damaged:  # training left them out: damaged_note's line, as similar says of one
        what = noun(len(damaged), "1 of them", f"{len(damaged)} of them: each")
        said += f"; {damaged_note(ctx, 'graph', damaged, what)}"
    return said


def _damaged_beyond_embed(conn, model: str, track_ids: list[int]) -> list[int]:
    """Those of ``track_ids`` whose stored ``model`` vector is damaged and that no embed can
    analyse again (:func:`~musicsage.library.damaged_vectors.left_out_for_damage`): training
    left them out of the graph, and an embed neither mends nor places them."""
    from musicsage.library.damaged_vectors import left_out_for_damage

    return [int(t) for t in left_out_for_damage(conn, model, track_ids).tolist()]


def _reimported(space: str, rows: list) -> str | None:
    """What gives ``rows`` (tracks without a vector in ``space``) one where every one was
    imported from a dataset dir without an audio file, in ``export``'s words: importing that
    dir again (``embed`` has no file to analyse; "each has no audio embedding: they were
    imported …" mixed each and they, and named no remedy). None otherwise, and for the
    graph space, where an embed places such a track by the audio vector it was imported with."""
    from musicsage.library.dataset_export import _mended_by
    from musicsage.library.paths import is_file_path
    from musicsage.text import noun

    if space != "audio" or any(is_file_path(str(row.get("path") or "")) for row in rows):
        return None
    n = len(rows)
    again = _mended_by(rows).partition("them): ")[2]  # "import the dataset dir they came …"
    return (f"{noun(n, 'it was', 'they were')} imported from a dataset dir without an audio "
            f"file, so {noun(n, 'it has', 'they have')} no {space} embedding: "
            + again.replace("they came", noun(n, "it came", "they came")))
