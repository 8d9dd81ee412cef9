"""The search spaces of one library, kept between queries by whoever holds its AppContext.

A :class:`~musicsage.search.index.SpaceIndex` costs a read of every vector (tens of MB on a
large library) and its index file; a window asks for neighbours on every click. So the
window's controllers keep one :class:`SearchSpaces` per library and hand it to the search
use cases; the CLI makes one per command. There is no module-level cache: two libraries (the
demo and the user's own) or two tests never share one.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from musicsage.errors import EMBED_HINT, TRAIN_HINT
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.graph_vectors import (graph_model_label, spare_space_directory,
                                              space_directory)
from musicsage.usecases.left_out_notes import (NO_FILE_WORDS,  # noqa: F401 (the window's)
                                               reanalysis_tail)
from musicsage.usecases.training_reach import command_line_need  # `similar`'s, as `models`'

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.search.index import SpaceIndex

log = logging.getLogger(__name__)


OTHER_VERSIONS_HINT = "`musicsage embed` analyses"
"""How :meth:`SearchSpaces.left_out`'s line says what analyses those tracks again (the window
puts its own menu item in its place)."""


@dataclass(frozen=True)
class Unavailable:
    """A space without vectors to search: ``note`` says why and what to do (no model yet,
    or its files are damaged); ``problem`` is set in the second case only."""

    note: str
    problem: str | None = None


def unusable_note(model_id: int, problem: str) -> str:
    """The one line every front end shows for a graph model whose files are damaged."""
    return (f"the graph model (model {model_id}) is unusable: {problem}; "
            f"retrain to rebuild it ({TRAIN_HINT})")


class SearchSpaces:
    """The graph and audio spaces of the library at ``ctx``, re-read only when they changed.

    Thread-safe (the window queries from worker threads). Pickling keeps the context and drops
    the memo, so a copy sent to a child process starts empty instead of shipping vectors.
    """

    def __init__(self, ctx: "AppContext") -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._memo: dict[str, tuple] = {}
        """space -> (connection, DB stamp, its SpaceIndex, or the Unavailable saying why it
        has none: no model or vectors yet, which the DB alone decides)."""
        self._watch = None  # a connection of our own for the change stamp (see _stamp)
        self._closed = False  # let go of the library (close): no watch is opened again
        self._loading = {space: threading.Lock() for space in ("graph", "audio")}
        """One load of a space at a time: a click during the warm-up waits for its result
        instead of reading every vector a second time."""
        self._left_out: dict[str, tuple[str | None, frozenset[int]]] = {}
        """space -> what its last load left out and why (None: nothing), and those tracks."""
        self._shown_old: dict[str, bool] = {}
        """space -> whether its last load shows another version than embed makes now
        (:func:`~musicsage.usecases.left_out_notes.shown_not_current`)."""
        self._damaged: dict[str, frozenset[int]] = {}
        """space -> the tracks its last load dropped for a damaged stored vector (NaN or
        infinite values, or the wrong length, which the reader reads as NaN)."""

    def __getstate__(self) -> dict:
        return {"ctx": self.ctx}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["ctx"])

    def get(self, space: str) -> "SpaceIndex | str":
        """The :class:`SpaceIndex` of ``space`` ('graph' | 'audio'), or a one-line note saying
        why there is none (no model yet, or its files are damaged: :meth:`problem`).

        Audio vectors are the current audio model's, z-scored (the evaluated audio-only
        baseline), missing tracks included (they stay indexed and mapped, see
        :mod:`musicsage.search.similar`); graph vectors are the current graph model's. The
        object is kept while the vectors' fingerprint is unchanged, so the index file is
        loaded once; while the DB has not changed at all (see
        :func:`~musicsage.library.queries.change_stamp`), not even the vectors are re-read:
        a click then costs a query, not a 50 MB read.
        """
        found = self._lookup(space)
        return found.note if isinstance(found, Unavailable) else found

    def left_out(self, space: str) -> str | None:
        """One line on the tracks ``space`` leaves out although they have vectors of its
        model — of another version (:func:`~musicsage.library.queries.shown_version`), which
        are not comparable with the rest — or None. Known once the space was loaded."""
        self._lookup(space)
        with self._lock:
            return self._left_out.get(space, (None, frozenset()))[0]

    def left_out_ids(self, space: str) -> frozenset[int]:
        """The tracks :meth:`left_out` counts: with a vector of the space's model that is
        not searched (another version)."""
        self._lookup(space)
        with self._lock:
            return self._left_out.get(space, (None, frozenset()))[1]

    def shown_old(self, space: str) -> bool:
        """Whether ``space`` shows a version embed no longer makes, so that an embed puts
        back the tracks :meth:`left_out` counts, whatever they are (what their notes say)."""
        self._lookup(space)
        with self._lock:
            return self._shown_old.get(space, False)

    def damaged_ids(self, space: str) -> frozenset[int]:
        """The tracks ``space`` leaves out because their stored vector of its model and
        version is damaged (:data:`~musicsage.library.damaged_vectors.DAMAGE_WORDS`): a query
        among them has a vector, not none. Known once the space was loaded."""
        self._lookup(space)
        with self._lock:
            return self._damaged.get(space, frozenset())

    def problem(self, space: str) -> str | None:
        """Why the model of ``space`` exists but cannot be used (its files are damaged: see
        :mod:`musicsage.search.vector_files`), or None — also when it simply has no model yet.
        A front end uses it to fall back to the other space and say so once."""
        found = self._lookup(space)
        return found.problem if isinstance(found, Unavailable) else None

    def _lookup(self, space: str) -> "SpaceIndex | Unavailable":
        from musicsage.library.db import connect
        from musicsage.library.queries import change_stamp

        conn = connect(self.ctx)  # opens (and migrates) the library before it is watched
        watch = self._watching()

        def remembered():
            with self._lock:  # also serialises the watch connection's use across threads
                source = watch if watch is not None and watch is self._watch else conn
                stamp = change_stamp(source)
                memo = self._memo.get(space)
                hit = memo is not None and memo[0] is source and memo[1] == stamp
                return source, stamp, (memo[2] if hit else None)

        source, stamp, found = remembered()
        if found is not None:
            return found
        with self._loading.get(space) or nullcontext():  # an unknown space is refused below
            source, stamp, found = remembered()  # loaded meanwhile by another thread?
            if found is not None:
                return found
            vectors = self._vectors(space)
            if isinstance(vectors, Unavailable):
                if vectors.problem is None:  # no model or vectors yet: the DB's alone to say
                    with self._lock:  # kept by the stamp as a loaded space is: at 28k tracks
                        # working out what training needs took 0.26 s of a 0.27 s click
                        self._memo[space] = (source, stamp, vectors)
                return vectors
            return self._remember(space, source, stamp, *vectors)

    def stamp(self) -> tuple[int, int] | None:
        """The library's change stamp, read through this object's own connection: two equal
        stamps mean nothing was committed in between, by any connection of any process (a
        command in a terminal). None while the library cannot be opened."""
        from musicsage.library.queries import change_stamp

        watch = self._watching()
        if watch is None:
            return None
        with self._lock:
            if watch is not self._watch:  # closed meanwhile (:meth:`close`)
                return None
            try:
                return change_stamp(watch)
            except sqlite3.Error:  # the file went away, or stays locked: ask again later
                return None

    def warm(self) -> None:
        """Load both spaces now (the window calls it in the background after a library
        loads), so the first click costs a query, not a read of every vector: at 100,000
        tracks that read takes tens of seconds."""
        for space in ("graph", "audio"):
            self._lookup(space)

    def _watching(self):
        """The connection the change stamp is read through: one of this object's own, kept
        for its lifetime. The window asks from worker threads whose connections close with
        the thread, and a stamp is only comparable within one connection, so with theirs
        every click re-read and re-fingerprinted every vector (100k tracks: 6-10 s a click).
        None if it cannot be opened, or after :meth:`close`: then the caller's connection is
        used, as before."""
        from musicsage.library.db import stamp_connection

        with self._lock:
            if self._watch is None and not self._closed:
                self._watch = stamp_connection(self.ctx)
            return self._watch

    def close(self) -> None:
        """Close this object's own connection to the library (the window calls it once its
        threads stopped, and for the library it leaves for another). Why: SQLite removes the
        library's -wal and -shm files only when its last connection closes, and this one was
        kept until the process ended — every window left them behind. Safe while a thread
        still asks: each use of the connection is under the lock, and a later one uses the
        asking thread's own connection, as when none could be opened."""
        with self._lock:
            self._closed = True
            watch, self._watch = self._watch, None
            if watch is not None:
                watch.close()

    def _vectors(self, space: str):
        """``(model label, track ids, matrix, row keys)`` of ``space`` as indexed, or why not
        (row keys: :attr:`SpaceIndex.row_keys`, None for the matrix's own rows)."""
        from musicsage.errors import MusicsageError

        if space == "audio":
            return self._audio_vectors()
        if space == "graph":
            return self._graph_vectors()
        raise MusicsageError(f"unknown space {space!r} (graph or audio)")

    def _audio_vectors(self):
        """The current audio model's vectors of the library's one version (read once, for
        the vectors and for what :meth:`left_out` says)."""
        from musicsage.library.db import connect
        from musicsage.library.queries import shown_version
        from musicsage.search.placement import row_hashes
        from musicsage.search.vector_files import finite_rows
        from musicsage.vectors import zscore
        from musicsage.usecases.embedding import audio_embeddings, current_audio_model_id

        model_id = current_audio_model_id(self.ctx)
        version = shown_version(connect(self.ctx), model_id) if model_id else None
        emb = audio_embeddings(self.ctx, model_id, present_only=False,
                               model_version=version) if version else None
        if emb is None:
            return Unavailable(f"no audio embeddings yet ({EMBED_HINT})")
        self._note_other_versions(model_id, version)
        ok = finite_rows(emb.matrix)
        with self._lock:  # what a query among them is told (left_out_notes.damaged_vector_note)
            self._damaged["audio"] = frozenset(int(t) for t in emb.track_ids[~ok])
        if not ok.all():  # a damaged vector leaves its track out, not the whole space
            log.info("audio space: %d vectors with NaN/inf left out", int((~ok).sum()))
            raw = emb.matrix[ok]
            return model_id, emb.track_ids[ok], zscore(raw), row_hashes(raw)
        return model_id, emb.track_ids, zscore(emb.matrix), row_hashes(emb.matrix)

    def _note_other_versions(self, model_id: str, version: str) -> None:
        """Remember what :meth:`left_out` says of the audio space just read: one version of
        ``model_id`` is searched, ``version`` (a re-analysis under way or cut short leaves
        two). Missing tracks count too: the space and its map hold them, so they drop out as
        well."""
        from musicsage.library.db import connect
        from musicsage.library.queries import other_version_tracks, present_file_track_ids
        from musicsage.text import counted, noun
        from musicsage.usecases.left_out_notes import shown_not_current

        conn = connect(self.ctx)
        tracks = other_version_tracks(conn, model_id, version=version)
        n, missing = len(tracks), sum(not present for present in tracks.values())
        no_file = sum(present for present in tracks.values()) - len(
            present_file_track_ids(conn).intersection(tracks))
        old = bool(n) and shown_not_current(self.ctx, model_id, version)
        again = reanalysis_tail(f"{OTHER_VERSIONS_HINT} {noun(n, 'it', 'them')} again",
                                n, no_file, missing, shown_old=old)
        note = (f"{counted(n, 'track')} left out: {noun(n, 'its', 'their')} {model_id} "
                f"{noun(n, 'vector was', 'vectors were')} made with other analysis settings "
                f"(or model version) than the rest; {again}") if n else None
        with self._lock:
            self._left_out["audio"] = (note, frozenset(tracks))
            self._shown_old["audio"] = old

    def _graph_vectors(self):
        """The current graph model's vectors, checked: a model whose files are damaged (cut
        short, overwritten, a pickle, NaN …) is refused whole — its vectors came from one
        training run, so one broken file means none of them can be trusted. The vectors the
        saved model computed since for tracks it never saw are laid over them
        (:mod:`musicsage.usecases.inductive`)."""
        from musicsage.errors import MusicsageError
        from musicsage.search.vector_files import BadVectorFile, npy_shape, vectors_problem
        from musicsage.usecases.graph_vectors import library_graph_vectors
        from musicsage.usecases.training import current_graph_model

        info = current_graph_model(self.ctx)
        if info is None:  # "Retrain … or musicsage train" only where it can train
            why = command_line_need(self.ctx)
            return Unavailable(f"no trained graph model yet: training one {why}" if why
                               else f"no trained graph model yet ({TRAIN_HINT})")
        try:
            rows = npy_shape(info.dir / "embeddings.npy", ndim=2, kind="f")[0]
            n_ids = npy_shape(info.dir / "track_ids.npy", ndim=1, kind="i")[0]
            if rows != n_ids:
                raise BadVectorFile(f"embeddings.npy has {rows} vectors for {n_ids} track ids")
            track_ids, matrix = library_graph_vectors(self.ctx, info)
            problem = vectors_problem(track_ids, matrix)
        except BadVectorFile as exc:
            problem = str(exc)
        except (MusicsageError, OSError, ValueError, EOFError) as exc:  # checked, yet unreadable
            problem = f"its files cannot be read ({type(exc).__name__})"
        if problem is not None:
            log.info("graph model %s is unusable: %s", info.id, problem)
            return Unavailable(unusable_note(info.id, problem), problem)
        return graph_model_label(info), track_ids, matrix, None

    def _remember(self, space, conn, stamp, model_id, track_ids, matrix, row_keys
                  ) -> "SpaceIndex":
        from musicsage.search.fingerprint import embedding_fingerprint
        from musicsage.search.index import SpaceIndex
        from musicsage.search.index_key import user_index_key

        fingerprint = embedding_fingerprint(track_ids, matrix, model_id)
        key, others_key = user_index_key(self.ctx.data_dir, self.ctx.spare_cache_dir)
        where = {"directory": space_directory(self.ctx, space),  # key read or made unlocked
                 "spare_directory": spare_space_directory(self.ctx, space),
                 "key": key, "others_key": others_key}
        with self._lock:
            memo = self._memo.get(space)
            found = memo[2] if memo is not None else None
            if not isinstance(found, SpaceIndex) or found.fingerprint != fingerprint:
                found = SpaceIndex(space, track_ids, matrix, model_id=model_id,
                                   fingerprint=fingerprint, row_keys=row_keys, **where)
            self._memo[space] = (conn, stamp, found)
            return found


def with_left_out(result, spaces: SearchSpaces, wanted):
    """``result`` (a :class:`~musicsage.search.types.SimilarResult` or ``SuggestResult``)
    with a note for each space of ``wanted`` that left tracks out (:meth:`SearchSpaces.
    left_out`), unless the space has a note of its own already (no list at all). A query
    track left out itself has no list, and its note says why: its vector is of another
    version, not missing (``musicsage embed`` finishes the re-analysis — a query track
    imported from a dataset dir without a file is told it has none to analyse again). A
    query track whose stored vector is damaged is told so (:func:`~musicsage.usecases.
    left_out_notes.damaged_vector_note`), not that it has no vector; one without a vector
    that embed cannot analyse now (no file, or a missing one) is told why, not to embed it."""
    from dataclasses import replace

    from musicsage.search.similar import no_vector_note, other_version_note
    from musicsage.usecases.left_out_notes import (damaged_vector_note, no_file_to_analyse,
                                                   reanalysis_said)

    query = getattr(result, "query", None)
    query_id = int(query["track_id"]) if query is not None else None
    extra = {}
    for name in wanted:
        lacks = query is not None and result.notes.get(name) == no_vector_note(name)
        said = lacks and (damaged_vector_note(spaces, name, [query_id])  # a left-out one: below
                          or (name == "audio" and query_id not in spaces.left_out_ids(name)
                              and no_file_to_analyse(query)))
        if said:
            extra[name] = said
            continue
        line = spaces.left_out(name)
        if not line:
            continue
        if name not in result.notes:
            extra[name] = line
        elif query is not None and int(query["track_id"]) in spaces.left_out_ids(name):
            extra[name] = reanalysis_said(
                other_version_note(name, len(spaces.left_out_ids(name))), [query],
                shown_old=spaces.shown_old(name))
    return replace(result, notes={**result.notes, **extra}) if extra else result


@runs(Mode.THREAD, progress=False, cancel=False, lane="library changes")
def library_changed(spaces: SearchSpaces, since: tuple[int, int] | None) -> bool:
    """Whether the library changed since the stamp ``since`` (:meth:`SearchSpaces.stamp`).

    The window asks every few seconds, so that what a command in a terminal did (a new
    model, new tracks) shows up without a restart. A lane of its own: it must not queue
    behind lookups, nor count as the window being busy."""
    now = spaces.stamp()
    return now is not None and now != since


@runs(Mode.THREAD, progress=False, cancel=False, lane="warm search")
def warm_search_spaces(spaces: SearchSpaces) -> None:
    """Load the library's search spaces ahead of the first click (see :meth:`SearchSpaces.warm`).

    A lane of its own: the window warms after every library reload, and at 100,000 tracks a
    read takes tens of seconds — in the heavy lane it would hold up the embed or map that the
    same reload starts."""
    spaces.warm()
