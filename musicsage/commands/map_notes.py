"""What ``musicsage map`` says of the library's tracks its map of a space leaves off besides
those with a damaged vector: of another analysis version, or with no vector in the space —
and, of those, which an ``embed`` gives one and why the others get none (missing files,
tracks imported without a file, files whose scan or analysis failed). Kept apart from
:mod:`musicsage.commands.explore`, which they took past its size limit."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.text import counted


def unmapped(ctx: AppContext, found, points) -> dict[str, list[str]]:
    """The lines on the library's tracks that ``points`` (a space's map) leaves off besides
    those with a damaged vector (``left_out``): ``other_version``, those analysed with other
    settings than the rest (:meth:`~musicsage.usecases.spaces.SearchSpaces.left_out`), and
    ``no_vector``, those with no vector in the space (:func:`_no_vector_said`), a line per
    advice — "2 tracks mapped" of a library of 15 named none of the 13 (nor why), so the
    tracks seemed gone. Each a list of lines, kept apart as such: a file name a line names
    may hold a line break, so splitting their text cut it into a bogus second note. Empty
    when every track is on the map."""
    import numpy as np

    from musicsage.library.db import connect
    from musicsage.library.queries import library_track_ids

    space, conn = points.space, connect(ctx)
    lines = {"other_version": [found.left_out(space)]} if found.left_out(space) else {}
    ids = library_track_ids(conn)
    told = found.left_out_ids(space) | found.damaged_ids(space)  # said by the other lines
    lacking = sorted(set(ids[~np.isin(ids, points.track_ids)].tolist()) - told)
    if lacking:
        lines["no_vector"] = [
            f"{counted(len(group), 'track')} left out: {_no_vector_said(ctx, conn, points, group)}"
            for group in _by_advice(ctx, points.space, lacking)]
    return lines


def as_json(lines: dict[str, list[str]]) -> dict[str, str]:
    """:func:`unmapped`'s lines as ``map --json`` gives them: one string per key, as before
    they were counted per advice; ``no_vector``'s lines joined by a newline (a file name in
    them may hold one too: the text output prints each line from the list, never by
    splitting this)."""
    return {key: "\n".join(said) for key, said in lines.items()}


def _by_advice(ctx: AppContext, space: str, lacking: list[int]) -> list[list[int]]:
    """``lacking`` in groups that each get one advice, one line each: on the graph map, those
    only a training places (:func:`~musicsage.usecases.graph_unplaced.settings_kinds`, by
    kind) apart from the others. One line for all said "embed" of tracks ``similar`` told to
    train, wherever another track left out had no audio vector at all."""
    if space != "graph":
        return [lacking]
    from musicsage.usecases.graph_unplaced import settings_kinds

    kinds = settings_kinds(ctx, lacking)
    groups = [[t for t in lacking if kinds.get(t) == kind]
              for kind in sorted(set(kinds.values()), reverse=True)]  # train first
    return [g for g in (*groups, [t for t in lacking if t not in kinds]) if g]


def _no_vector_said(ctx: AppContext, conn, points, lacking: list[int]) -> str:
    """Why ``lacking`` have no vector in ``points``' space, in the words ``similar`` and
    ``suggest`` use of a query or members without one, ``embed`` advised only of those it
    can analyse: not of missing files nor tracks imported without one (every one such:
    ``embed``'s words for them), nor of those whose scan or analysis failed
    (:func:`~musicsage.library.map_left_out.failed_reads`, asked of all at once), told why
    instead — the map's note sent them all to an ``embed`` that skips or fails on them again. The
    graph map's note is :func:`~musicsage.usecases.embedding.unplaced_note`'s as it is: an
    embed places a track by the audio vector it has, with a file or without one."""
    from musicsage.errors import EMBED_HINT
    from musicsage.library.map_left_out import failed_reads
    from musicsage.library.queries import track_summaries
    from musicsage.search.similar import no_vector_note
    from musicsage.search.suggest import failures_said
    from musicsage.text import noun
    from musicsage.usecases.embedding import unplaced_note
    from musicsage.usecases.left_out_notes import embed_cannot_analyse

    space, who = points.space, noun(len(lacking), "it", "each")
    if space == "graph":  # an embed places a track by its audio vector, file or none: the
        # split below, made for audio, told such tracks "none can be analysed again now"
        return unplaced_note(ctx, who, lacking)
    note = no_vector_note(space, who)
    if not note.endswith(f"({EMBED_HINT})"):
        return note
    model = points.model_id  # the vectors lacked
    rows = list(track_summaries(conn, lacking).values())
    split = list(zip(rows, failed_reads(conn, rows, model)))  # one query: one a track took
    # ~2 s for 90,000 left out
    others = [row for row, failure in split if failure is None]
    failures = [failure for _row, failure in split if failure is not None]
    apart = len(failures)  # told after the advice, with why
    if not apart:
        return _reimported(conn, rows) or embed_cannot_analyse(note, rows)
    head = no_vector_note(space, who).partition(" (")[0]
    said = embed_cannot_analyse(note, others, apart) if others else head
    if others and said == note:  # an embed analyses every other one: advised of them alone
        advice = note.partition(" (")[0]
        said = f"{advice}: an embed analyses {len(others)} of them ({EMBED_HINT})"
    if failures and others:
        said += f" ({len(failures)} of them: {failures_said(failures)})"
    elif failures:
        said += f": {failures_said(failures)}"
    return said


def _reimported(conn, rows: list) -> str | None:
    """What gives ``rows`` (tracks without an audio vector) one where every one was imported
    from a dataset dir without an audio file: ``embed``'s words
    (:func:`~musicsage.usecases.embedding.featureless_dataset_hint`), the vectors put in the
    dir's features.npy and the dir imported again (importing it as it is changes nothing, and
    ``embed`` has no file to analyse). None otherwise."""
    from musicsage.library.paths import is_file_path
    from musicsage.usecases.embedding import featureless_dataset_hint

    if any(is_file_path(str(row.get("path") or "")) for row in rows):
        return None
    return featureless_dataset_hint(conn)
