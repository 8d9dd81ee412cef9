"""Music tags of a file (MusiCNN): what ``tags FILE`` prints and the window shows per track."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from musicsage.errors import MusicsageError
from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext


class TagScore(NamedTuple):
    tag: str
    p: float
    """Probability in [0, 1]."""


@runs(Mode.HELPER, progress=False, cancel=False)
def track_tags(ctx: "AppContext | None", path: str | os.PathLike, top: int = 10,
               model: str = "MSD_musicnn", *, progress=None, cancel=None) -> list[TagScore]:
    """The ``top`` most probable MusiCNN tags of the file at ``path``, most probable first.

    ``model``: ``MSD_musicnn`` (Million Song Dataset tags: genres, eras, moods) or
    ``MTT_musicnn`` (MagnaTagATune: instruments, "classical", "vocals" …). ``ctx`` None uses
    the per-user dirs. Raises MusicsageError for an unreadable file or missing checkpoints.
    From the window it runs in the helper process: MusiCNN needs torch, which the window's
    own process never imports.
    """
    from musicsage.audio.musicnn import track_tags as run
    from musicsage.context import AppContext

    ctx = ctx if ctx is not None else AppContext.create()
    return [TagScore(tag, float(p)) for tag, p in
            run(ctx, path, top=top, model=model, progress=progress, cancel=cancel)]


EXPLAIN_TAG_MODEL = "MSD_musicnn"
"""The tags kept per track and compared by "why this neighbour" (the window's tags line)."""


class TagLibraryReport(NamedTuple):
    tagged: int
    """Tracks tagged now."""
    known: int
    """Tracks whose tags were already cached."""
    failed: list[tuple[str, str]]
    """(path, reason) of files that could not be tagged, the path in stored form."""
    seconds: float

    def as_dict(self) -> dict:
        """What ``tags --library --json`` writes: a failed file's stored path as every path in
        JSON is (:func:`~musicsage.library.paths.json_fields`: shown, and its ``uri``), not the
        library's private stand-ins for a name that is not UTF-8."""
        from musicsage.library.paths import display, json_fields

        return {"tagged": self.tagged, "known": self.known, "seconds": round(self.seconds, 2),
                "failed": [json_fields({"path": p, "reason": display(r)})
                           for p, r in self.failed]}


def _facts(ctx: "AppContext", track_ids) -> dict:
    """The tracks to tag, each as its file is now (:func:`~musicsage.library.tag_cache.
    as_on_disk`): a file touched or changed since the scan is tagged, and its tags kept, under
    the hash of its content as it is, not the one the library has of it as it was."""
    from musicsage.library.tag_cache import as_on_disk

    return {t: dict(as_on_disk(f)) for t, f in _library_facts(ctx, track_ids).items()}


def _library_facts(ctx: "AppContext", track_ids) -> dict[int, dict]:
    """The library's rows of ``track_ids`` with their content hashes
    (:func:`with_content_hashes`): the facts alone, no file read."""
    from musicsage.library.db import connect
    from musicsage.library.relations import track_facts

    return with_content_hashes(ctx, track_facts(connect(ctx), track_ids))


def with_content_hashes(ctx: "AppContext", facts: dict[int, dict]) -> dict[int, dict]:
    """``facts`` (track rows by id), each with the ``content_hash`` the library has of its
    file as it is now (None: none yet): what the tag cache keys tags on, so that a touched or
    moved file keeps them as it keeps its embeddings (:mod:`musicsage.library.tag_cache`).
    The library's facts alone, no file read: "why" looks up about 21 neighbours per
    selection, and a sleeping NAS or a hung mount must not hold its lists."""
    from musicsage.library.db import connect
    from musicsage.library.moves import current_hashes

    hashes = current_hashes(connect(ctx), facts)
    return {t: {**f, "content_hash": hashes.get(int(t))} for t, f in facts.items()}


@runs(Mode.LOOKUP, progress=False, cancel=False)
def any_tagged(ctx: "AppContext", track_ids) -> bool:
    """Whether any of ``track_ids`` has tags kept (the library's facts, no file read): the
    window explains a track's neighbours again when its tags arrive only if one of them is,
    where a library never tagged looked every selection's neighbours up twice for nothing."""
    from musicsage.library.tag_cache import cached_tags

    facts = _library_facts(ctx, track_ids)
    return bool(cached_tags(ctx.cache_dir, facts.values(), EXPLAIN_TAG_MODEL))


@runs(Mode.HELPER, progress=False, cancel=False)
def track_tags_of(ctx: "AppContext", track_id: int, top: int = 10, *, progress=None,
                  cancel=None) -> list[TagScore]:
    """The ``top`` tags of a library track (the window's tags line): read from the tag cache,
    else computed with :data:`EXPLAIN_TAG_MODEL` and kept there, so "why this neighbour"
    can compare them later. Raises MusicsageError for a missing or unreadable file."""
    from musicsage.library.paths import is_file_path
    from musicsage.library.tag_cache import cached_tags, store_tags

    fact = _facts(ctx, [track_id]).get(int(track_id))
    if fact is None or not is_file_path(fact["path"]):
        raise MusicsageError(f"track {track_id} has no audio file to tag")
    known = cached_tags(ctx.cache_dir, [fact], EXPLAIN_TAG_MODEL).get(int(track_id))
    if known is None:
        known = _tags_to_keep(ctx, fact["path"], progress=progress, cancel=cancel)
        store_tags(ctx.cache_dir, fact, EXPLAIN_TAG_MODEL, known)
    return [TagScore(t, float(p)) for t, p in known[:max(0, top)]]


def _tags_to_keep(ctx: "AppContext", stored_path: str, *, progress=None,
                  cancel=None) -> list[tuple[str, float]]:
    """The :data:`EXPLAIN_TAG_MODEL` tags to cache for a library file: none for a silent,
    too quiet or too short one (:class:`~musicsage.audio.musicnn.tagger.NoTags`), kept as
    such — the window shows "none" and "why" names no tag shared with it, where it shared
    the made-up ``rock`` of silence with every other silent track; a failure, it was tried
    again on every ``tags --library``."""
    from musicsage.audio.musicnn.tagger import NoTags, tag_probabilities
    from musicsage.library.paths import to_fs

    try:
        return tag_probabilities(ctx, to_fs(stored_path), model=EXPLAIN_TAG_MODEL,
                                 progress=progress, cancel=cancel)
    except NoTags:
        return []


class _NotKept(MusicsageError):
    """The tag cache could not keep a track's tags: ``tags --library`` stops (not one file's
    failure, as an unreadable file is)."""


@runs(Mode.PROCESS)
def tag_library(ctx: "AppContext", *, limit: int | None = None, progress=None,
                cancel=None) -> TagLibraryReport:
    """MusiCNN tags (:data:`EXPLAIN_TAG_MODEL`) of every present track whose file has none
    cached yet (``limit``: at most that many now); resumable, each track kept as it is done.
    What ``tags --library`` runs, so that "why" can name shared tags for any neighbour."""
    import time

    from musicsage.library.tag_cache import newer_cache_problem, write_problem

    t0 = time.perf_counter()
    if problem := ctx.writable_problem():  # the tags would be computed, then thrown away
        raise MusicsageError(f"cannot keep the tags: {problem}")
    facts, known = _present_tracks(ctx, cancel=cancel)
    todo = [facts[t] for t in sorted(facts) if t not in known]
    if limit is not None:
        todo = todo[:max(0, int(limit))]
    if todo and (problem := newer_cache_problem(ctx.cache_dir)
                 or write_problem(ctx.cache_dir)):  # the first track was tagged for nothing
        raise MusicsageError(f"cannot keep the tags: {problem}")
    failed, meanwhile = _tag_each(ctx, todo, progress=progress, cancel=cancel)
    return TagLibraryReport(len(todo) - len(failed) - meanwhile, len(known) + meanwhile, failed,
                            time.perf_counter() - t0)


def _present_tracks(ctx: "AppContext", *, cancel=None) -> tuple[dict[int, dict],
                                                                 dict[int, list]]:
    """``(facts, known)``: every present track with a file, as its file is now, and the tags
    kept of those tagged. Looked up with the library's facts first (no read); a file is only
    hashed (:func:`~musicsage.library.tag_cache.as_on_disk`) when its stamp is neither the
    library's nor that of an entry of its own: every touched file was hashed on every run
    (28k of them: 3.4 GiB read before the first progress line). One found by its hash gets
    an entry under its stamp, so that the next run finds it without reading it. ``cancel``
    is checked before each file is looked at or hashed: a Ctrl-C waited for every hash."""
    from musicsage.library.db import connect
    from musicsage.library.paths import is_file_path
    from musicsage.library.queries import present_track_ids
    from musicsage.library.tag_cache import cached_tags, changed_stamp
    from musicsage.progress import check_cancel

    facts = {t: f for t, f in _library_facts(ctx, present_track_ids(connect(ctx)).tolist()
                                             ).items() if is_file_path(f["path"])}
    known = cached_tags(ctx.cache_dir, facts.values(), EXPLAIN_TAG_MODEL)
    now: dict[int, dict] = {}  # files whose stamp is not the library's, as they are
    for t, f in facts.items():
        check_cancel(cancel)
        if (stamp := changed_stamp(f)) is not None:
            now[t] = {**f, "size": stamp[0], "mtime_ns": stamp[1], "content_hash": None}
    kept_now = cached_tags(ctx.cache_dir, now.values(), EXPLAIN_TAG_MODEL)  # by the stamp
    hashed, found = _rehashed(ctx, facts, {t: f for t, f in now.items() if t not in kept_now},
                              cancel)
    for t in now:
        known.pop(t, None)
    facts.update(hashed)
    return facts, {**known, **kept_now, **found}


def _rehashed(ctx: "AppContext", facts: dict[int, dict], now: dict[int, dict],
              cancel) -> tuple[dict[int, dict], dict[int, list]]:
    """``(hashed, found)``: ``facts`` of the tracks in ``now`` (touched since the scan), each
    with the content hash of its file as it is (read whole: the slow part), and the tags kept
    of those found by it, ``cancel`` checked before each file. Each one found is kept under
    its stamp as soon as it is hashed: kept only once every file was, a run stopped while
    hashing kept none of it, and the next one read the same GiBs again."""
    from musicsage.library.tag_cache import cached_tags, rehashed, store_tags
    from musicsage.progress import check_cancel

    hashed: dict[int, dict] = {}
    found: dict[int, list] = {}
    for t, f in now.items():
        check_cancel(cancel)
        hashed[t] = dict(rehashed(facts[t], (f["size"], f["mtime_ns"])))
        tags = cached_tags(ctx.cache_dir, [hashed[t]], EXPLAIN_TAG_MODEL).get(t)
        if tags is not None:  # [] is kept too: a silent track's answer
            store_tags(ctx.cache_dir, hashed[t], EXPLAIN_TAG_MODEL, tags)
            found[t] = tags
    return hashed, found


def _tag_each(ctx: "AppContext", todo: list[dict], *, progress=None,
              cancel=None) -> tuple[list[tuple[str, str]], int]:
    """Tag and keep each track of ``todo``: ``(failed, meanwhile)``, the (path, reason) of
    files that could not be tagged, and how many tracks were found tagged when their turn
    came by another ``tags --library`` or the window, at the same time: two runs each tagged
    every track, twice the minutes for the same cache. A copy of a file this run tagged (the
    same content hash) got its tags now: it counts as tagged. Tags that cannot be kept stop
    the run with the cache's reason (MusicsageError): the next track's would be lost too,
    each after a second of MusiCNN."""
    from musicsage.audio.embedder import MissingWeights
    from musicsage.library.tag_cache import cached_tags, tags_not_kept
    from musicsage.progress import check_cancel, report

    failed: list[tuple[str, str]] = []
    meanwhile = 0
    tagged_now: set[str | None] = set()  # content hashes this run kept tags of
    for i, fact in enumerate(todo, start=1):
        check_cancel(cancel)
        try:
            digest = fact.get("content_hash")
            if cached_tags(ctx.cache_dir, [fact], EXPLAIN_TAG_MODEL):
                meanwhile += not digest or digest not in tagged_now
            else:
                tags = _tags_to_keep(ctx, fact["path"])
                if problem := tags_not_kept(ctx.cache_dir, fact, EXPLAIN_TAG_MODEL, tags):
                    kept = "those of the tracks before are kept; " if tagged_now else ""
                    raise _NotKept(f"cannot keep the tags: {problem} ({kept}run tags "
                                   "--library again once it can be written)")
                tagged_now.add(digest)
        except (MissingWeights, _NotKept):
            raise
        except MusicsageError as exc:
            failed.append((fact["path"], str(exc)))
        report(progress, "tags", i, len(todo), fact["title"] or fact["path"])
    return failed, meanwhile
