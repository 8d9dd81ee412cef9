"""What a query, a radio's seed or a playlist's members are told when the audio space has no
place for them although ``musicsage embed`` cannot give them one now: a vector of another
analysis version (:meth:`~musicsage.usecases.spaces.SearchSpaces.left_out`'s line and the
notes of ``similar``, ``radio`` and ``suggest`` say the same of the same tracks), a damaged
stored vector, or no vector at all for a track without a file to analyse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from musicsage.errors import EMBED_HINT, RESCAN_HINT

if TYPE_CHECKING:
    import sqlite3

    from musicsage.context import AppContext
    from musicsage.usecases.spaces import SearchSpaces

NO_FILE_WORDS = "imported from a dataset dir, with no audio file to analyse again"
"""What is said of such tracks imported without a file: no embed can analyse them again (they
were told that ``embed`` finishes the re-analysis, which leaves them as they are). Named in
:mod:`musicsage.usecases.spaces` too (tests read it there); the window's status line
(:mod:`musicsage.controllers.reanalysis`) reads it here."""


def reanalysis_tail(advice: str, n: int, no_file: int, missing: int, *,
                    none_again: str = NO_FILE_WORDS, shown_old: bool = False,
                    none_now: str | None = None) -> str:
    """The end of a note on ``n`` tracks of another analysis version: ``advice`` (that embed
    analyses them again), with how many of them it cannot analyse now — ``no_file`` imported
    from a dataset dir without an audio file, ``missing`` missing files until they are back.
    The advice only where some of them can be analysed now (files here): where none can, the
    line gave it all the same (2 dataset tracks and a missing file were sent to embed, which
    mends none), so it says none can instead; where every one of them has no file,
    ``none_again``. The one rule for the left-out line, the window's status line
    (:mod:`musicsage.controllers.reanalysis`) and the notes of a query, a seed or members.
    ``shown_old`` (:func:`shown_not_current`): the space shows another version than the one
    embed makes now, so an embed of the tracks it shows puts these back, whatever they are
    (a re-analysis stopped before half-way: "none can be analysed again now" was said).
    ``none_now``: the caller's words where none can be analysed now (default "it cannot" or
    "none can be analysed again now")."""
    from musicsage.text import noun

    if no_file and no_file == n and not shown_old:
        return none_again
    now = shown_old or n > no_file + missing  # an embed analyses some of them, or the rest
    told = advice if now else \
        none_now or f"{noun(n, 'it cannot', 'none can')} be analysed again now"
    if no_file:
        told += f" ({no_file} of them: {NO_FILE_WORDS})"
    if missing:
        which = "it is a missing file" if n == 1 else \
            f"{missing} of them {noun(missing, 'is a missing file', 'are missing files')}"
        # an embed reads only the files the library lists as present: a file put back stays
        # missing until a rescan ("once back" alone, beside no advice, said nothing of it)
        back = f", a rescan and an embed analyse {noun(missing, 'it', 'them')}"
        told += f" ({which}: once back{back})"
    return told


def shown_not_current(ctx: "AppContext", model_id: str, version: str | None) -> bool:
    """Whether ``version``, the one of ``model_id`` the audio space shows, is not the one its
    embedder makes now (a re-analysis stopped before half-way: the few re-analysed are the
    ones left out, and an embed of the rest puts them back). False where embed has nothing to
    analyse now (every file missing, the shown tracks imported without files) or where that
    cannot be told (weights absent, a setting refused): advised there, embed did nothing and
    the line said the same again. The identity is asked first: where it is the one shown (a
    re-analysis past half-way, the usual case) the count of what embed would analyse, which
    builds the identity again (~11 ms for MusiCNN), is not needed."""
    from musicsage.audio.selection import current_identity, pending_analysis

    identity = current_identity(ctx, model_id)  # None: unknown
    if identity is None or identity == (model_id, version):
        return False
    pending = pending_analysis(ctx)
    return bool(pending and pending[0])


def reanalysis_said(note: str, tracks: "Sequence[Mapping]", *, shown_old: bool = False) -> str:
    """``note`` (:func:`~musicsage.search.similar.other_version_note` of ``tracks``, rows with
    ``path`` and ``status``: a query, a radio's seed, a playlist's members left out) with the
    truth about those an embed cannot analyse again now, in the words of :meth:`SearchSpaces.
    left_out`'s line: "musicsage embed finishes the re-analysis", which the window turns into
    Compute embeddings, has no file to analyse for a track imported from a dataset dir (every
    run left it as it was), and skips a missing file until it is back."""
    from musicsage.text import noun

    own = len(tracks)
    no_file, missing = _not_analysable_now(tracks)
    head, _, advice = note.rpartition(": ")
    none_again = f"{noun(own, 'it was', 'they were')} {NO_FILE_WORDS}"
    return f"{head}: " + reanalysis_tail(advice, own, no_file, missing, none_again=none_again,
                                         shown_old=shown_old)


def _not_analysable_now(tracks: "Sequence[Mapping]") -> tuple[int, int]:
    """How many of ``tracks`` (rows with ``path`` and ``status``) an embed skips now: those
    imported from a dataset dir without a file, and missing files (until a rescan finds them)."""
    from musicsage.library.paths import is_file_path

    has_file = [is_file_path(str(t.get("path") or "")) for t in tracks]
    missing = sum(here and t.get("status") != "present" for here, t in zip(has_file, tracks))
    return has_file.count(False), missing


def embed_cannot_analyse(note: str, tracks: "Sequence[Mapping]", failed: int = 0) -> str:
    """``note`` (:func:`~musicsage.search.similar.no_vector_note`: no member of a playlist
    has an audio vector; ``tracks``, the members' rows with ``path`` and ``status``) in the
    words of :func:`reanalysis_tail` where an embed cannot analyse some of them now (imported
    from a dataset dir without a file, missing files): "(Compute embeddings in the window, or
    musicsage embed)" was said of members that were all such tracks, and embed skipped every
    one. ``failed``: how many other members, not among ``tracks``, have a file the scan could
    not read or whose analysis failed (their note is :func:`~musicsage.search.suggest.
    failed_members_note`'s, said after this one), to whom no embed is advised either: among
    ``tracks``, a missing member with a scan failure was told of twice, as a missing file
    here and as a failure there. Where all can be analysed, ``note`` as it is."""
    no_file, missing = _not_analysable_now(tracks)
    if not no_file and not missing:
        return note
    n = len(tracks)  # those whose fate this note tells
    which = f"{n - no_file - missing} of them"  # only of those it can: not "them" of all
    return f"{note.partition(' (')[0]}: " + _tail_beside_failed(
        f"an embed analyses {which} ({EMBED_HINT})", n, no_file, missing, failed)


def _tail_beside_failed(advice: str, n: int, no_file: int, missing: int, failed: int) -> str:
    """:func:`reanalysis_tail` of ``n`` members of a playlist beside ``failed`` others whose
    analysis failed (told apart): "it cannot be analysed again now", said of the one member
    left to tell of after "no member of the playlist has …", named nothing."""
    from musicsage.text import noun

    whose = f"{n} of them {noun(n, 'was', 'were')}" if failed else noun(n, "it was", "they were")
    none_now = f"{noun(n, '1 of them cannot', 'none can')} be analysed again now"
    return reanalysis_tail(advice, n, no_file, missing, none_now=none_now if failed else None,
                           none_again=f"{whose} imported from a dataset dir, with no audio "
                                      "file to analyse")


def failed_analyses(conn: "sqlite3.Connection", tracks: "Sequence[Mapping]",
                    model_id: str | None) -> list:
    """Of ``tracks`` (rows with ``path`` and ``status``), why each that an embed would analyse
    (present, with a file) gives no ``model_id`` vector: the last scan could not read its
    file, or its analysis failed since the file changed (:func:`~musicsage.library.queries.
    read_failure`'s rows). The one count of members an embed cannot help for the note on
    members without a vector and on damaged ones: the second counted embed failures alone,
    and sent members whose scan failed to an embed. Asked of all of them in one query, by
    the rule ``map``'s note asks it (:func:`~musicsage.library.map_left_out.failed_reads`)."""
    from musicsage.library.map_left_out import failed_reads

    return [f for f in failed_reads(conn, tracks, model_id) if f is not None]


def damaged_vector_note(spaces: "SearchSpaces", space: str, track_ids: Sequence[int],
                        what: str = "the query track") -> str | None:
    """Why ``what`` (``track_ids``: a query, a radio's seed, a playlist's members) has no place
    in ``space`` when every one of them has a damaged stored vector the space dropped, as
    ``map`` says it of the tracks it leaves out; None otherwise. "has no audio embedding"
    was said of them: they have one, which ``stats`` counts as damaged. Where every one is
    beyond an embed, :func:`~musicsage.usecases.graph_vectors.damaged_note` says so, asked
    first; where only some are (members without a file, missing or failing again), the
    advice is said only of the others (:func:`_mended_by_embed`). None where every one's
    file could not be read or analysed: the failure's note says why (as a radio's seed's)."""
    from musicsage.library.damaged_vectors import DAMAGE_WORDS
    from musicsage.search.similar import no_vector_note

    ids = {int(t) for t in track_ids}
    if not ids or not ids <= spaces.damaged_ids(space):
        return None
    model = getattr(spaces.get(space), "model_id", None) or space
    whose = ("its" if not what.startswith("no ") else
             "its only member's" if len(ids) == 1 else "each member's")
    mended = _mended_by_embed(spaces, model, ids)
    return mended and (f"{no_vector_note(space, what).partition(' (')[0]}: {whose} stored "
                       f"{model} vector is damaged ({DAMAGE_WORDS}); {mended}")


def _mended_by_embed(spaces: "SearchSpaces", model: str, ids: set[int]) -> str | None:
    """What an embed does for ``ids``, damaged ``model`` vectors: analyses them again, said
    only of those it can (:func:`reanalysis_tail`'s parts for those imported without a file
    and the missing files; those whose file the scan could not read or whose analysis failed,
    :func:`failed_analyses`, said apart, in the words of the note on them, which is not said
    as well): "an embed analyses them again" was said of 6 members, 4 of them beyond it.
    None where every one failed: the failure's own note says why, as for a query or
    members whose analysis failed."""
    from musicsage.library.db import connect
    from musicsage.library.queries import track_summaries
    from musicsage.search.suggest import failures_said
    from musicsage.text import noun

    conn = connect(spaces.ctx)
    rows = list(track_summaries(conn, sorted(ids)).values())
    no_file, missing = _not_analysable_now(rows)
    failures = failed_analyses(conn, rows, model)
    n, failed = len(ids), len(failures)
    if failed == n:
        return None
    beyond = no_file + missing + failed
    which = noun(n, "it", "them") if not beyond else f"{n - beyond} of them"
    told = _tail_beside_failed(f"an embed analyses {which} again ({EMBED_HINT})", n - failed,
                               no_file, missing, failed)
    if failed:  # the scan's or embed's failure stands until the file changes
        told += f" ({failed} of them: {failures_said(failures)})"
    return told


def no_file_to_analyse(track: Mapping, what: str = "the query track") -> str | None:
    """Why ``what`` (``track``: a query's or a seed's row, with ``path`` and ``status``) has
    no audio vector when an embed cannot give it one now: imported from a dataset dir without
    an audio file, or its file missing until it is back; None otherwise. "(Compute
    embeddings in the window, or musicsage embed)" was said of it, and embed skips both."""
    from musicsage.library.paths import is_file_path
    from musicsage.search.similar import no_vector_note

    head = no_vector_note("audio", what).partition(" (")[0]
    if not is_file_path(str(track.get("path") or "")):
        return f"{head}: it was imported from a dataset dir, with no audio file to analyse"
    if track.get("status") != "present":
        return (f"{head}: its file is missing: once it is back, a rescan ({RESCAN_HINT}) and "
                "an embed analyse it")
    return None
