"""The graph model's input as one dataclass: track features, playlist memberships, metadata.

Two sources fill it: a dataset dir (tracks.csv, features.npy, memberships.csv; see the README's
"Dataset dirs") and the library DB (tracks, resolved playlist entries, album/artist tags, one
audio model's embeddings). Everything downstream (split, graph building, training, evaluation) reads only :class:`GraphData`, so both
paths are trained and evaluated by the same code.

Rows are tracks in source order (tracks.csv order, or ascending DB id). Playlists and metadata
values are interned to dense indices; their external keys are kept so a checkpoint can say
which learned context vector belongs to which playlist/album/artist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from musicsage.errors import EMBED_HINT, MusicsageError
from musicsage.library.dataset_features import load_features, read_features_json
from musicsage.library.dataset_files import check_training_dataset
from musicsage.library.dataset_read import (CsvTable, lookalike_hint, overlong_note,
                                            read_memberships_csv, read_tracks_csv)
from musicsage.text import counted, noun

#: Context types the model knows, in a fixed order (a checkpoint stores which were on).
CONTEXT_TYPES = ("playlist", "album", "artist")
#: Metadata context types: single-valued per track, known for held-out tracks too.
METADATA_TYPES = ("album", "artist")


def empty_contexts_text(kinds: tuple[str, ...]) -> str:
    """'no track has an album or an artist: the model trained without those contexts' (for
    :meth:`GraphData.empty_context_types`; the command line and the window say it)."""
    named = " or ".join(("an " if kind[0] in "aeiou" else "a ") + kind for kind in kinds)
    return (f"no track has {named}: the model trained without "
            f"{noun(len(kinds), 'that context', 'those contexts')}")


@dataclass(frozen=True, eq=False)
class GraphData:
    """Tracks with features, their playlist memberships and their album/artist.

    ``memberships`` rows are (track row, playlist index), de-duplicated and sorted.
    ``metadata[kind]`` is an int64 array over tracks: index into ``metadata_keys[kind]``, or -1.
    """

    track_ids: np.ndarray
    features: np.ndarray
    memberships: np.ndarray
    playlist_keys: np.ndarray
    metadata: dict[str, np.ndarray] = field(default_factory=dict)
    metadata_keys: dict[str, np.ndarray] = field(default_factory=dict)
    audio_model: str = "features"
    #: a library's resolved playlist memberships before the tracks without ``audio_model``
    #: embeddings were left out (None: not read from a library), for a refusal to count from
    library_memberships: int | None = None
    #: what reading a dataset dir found that a user must hear of, though nothing was refused
    #: (rows of tracks.csv longer than its header: an unquoted comma shifts the artist and
    #: album cells the contexts are made of), or a library (tracks left out for damaged
    #: vectors no embed can redo); ``train``/``eval`` add them to their notes
    read_notes: tuple[str, ...] = ()
    #: of a library's playlist tracks left out for want of a usable vector, how many an
    #: ``embed`` can analyse (present, with an audio file; None: not read from a library):
    #: a refusal advised embed for tracks imported without vectors, or whose files are gone
    embeddable_left_out: int | None = None

    def __post_init__(self) -> None:
        n = len(self.track_ids)
        if self.features.ndim != 2 or self.features.shape[0] != n:
            raise MusicsageError(f"features have shape {self.features.shape}, expected ({n}, d)")
        if not np.isfinite(self.features).all():
            raise MusicsageError("features contain NaN or infinite values")
        if self.memberships.ndim != 2 or self.memberships.shape[1] != 2:
            raise MusicsageError("memberships must be (track, playlist) pairs")
        for kind, values in self.metadata.items():
            if kind not in METADATA_TYPES or values.shape != (n,):
                raise MusicsageError(f"bad metadata column {kind!r}")

    @property
    def n_tracks(self) -> int:
        return len(self.track_ids)

    def empty_context_types(self, contexts: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``contexts`` no track has (no album column, an untagged library): the
        model trains without them, and a summary that named them as used would mislead."""
        def empty(kind: str) -> bool:
            if kind == "playlist":
                return len(self.memberships) == 0
            values = self.metadata.get(kind)
            return values is None or not (values >= 0).any()
        return tuple(kind for kind in contexts if empty(kind))

    @property
    def n_playlists(self) -> int:
        return len(self.playlist_keys)

    @property
    def feature_dim(self) -> int:
        return int(self.features.shape[1])

    def fingerprint(self) -> str:
        """A short hash of everything training depends on (ids, features, memberships, metadata)."""
        h = hashlib.sha1()
        h.update(self.audio_model.encode())
        h.update("\n".join(map(str, self.track_ids)).encode())
        h.update(np.ascontiguousarray(self.features, dtype=np.float32).tobytes())
        h.update(np.ascontiguousarray(self.memberships, dtype=np.int64).tobytes())
        h.update("\n".join(map(str, self.playlist_keys)).encode())
        for kind in sorted(self.metadata):
            h.update(kind.encode())
            h.update(np.ascontiguousarray(self.metadata[kind], dtype=np.int64).tobytes())
        return h.hexdigest()[:16]

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def build(cls, track_ids, features, membership_pairs, *, metadata=None,
              audio_model: str = "features") -> "GraphData":
        """From raw values: ``membership_pairs`` = iterable of (playlist key, track id);
        ``metadata`` = {kind: per-track values, '' or None = unknown}.

        Memberships naming unknown tracks are an error (a dataset dir must be consistent).
        """
        track_ids = np.asarray(track_ids)
        row_of = {tid: i for i, tid in enumerate(track_ids.tolist())}
        if len(row_of) != len(track_ids):
            raise MusicsageError("track ids are not unique")
        pairs = list(membership_pairs)
        unknown = [t for _, t in pairs if t not in row_of]
        if unknown:
            verb = noun(len(unknown), "names a track that is", "name tracks that are")
            raise MusicsageError(f"{counted(len(unknown), 'membership')} {verb} not in the "
                                 f"track list (e.g. {unknown[0]!r})")
        features = np.asarray(features)
        if features.dtype.kind == "f" and features.size and np.isfinite(features).all():
            largest = float(np.abs(features).max())
            if largest > np.finfo(np.float32).max:
                # float32 would turn them into infinities, refused below as if the file held some
                raise MusicsageError(f"features hold values beyond float32's range (largest "
                                     f"{largest:.3g}); rescale them")
        playlist_keys, playlist_idx = _intern([p for p, _ in pairs])
        rows = np.fromiter((row_of[t] for _, t in pairs), dtype=np.int64, count=len(pairs))
        memberships = np.unique(np.stack([rows, playlist_idx], 1).reshape(-1, 2), axis=0)
        meta, meta_keys = {}, {}
        for kind, values in (metadata or {}).items():
            keys, idx = _intern(values, missing=("", None))
            meta[kind], meta_keys[kind] = idx, keys
        return cls(track_ids=track_ids, features=np.ascontiguousarray(features, np.float32),
                   memberships=memberships.astype(np.int64), playlist_keys=playlist_keys,
                   metadata=meta, metadata_keys=meta_keys, audio_model=audio_model)

    @classmethod
    def from_dataset_dir(cls, path: str | Path) -> "GraphData":
        """Read a dataset dir (tracks.csv, features.npy, memberships.csv) through ``import``'s
        own readers and checks (:mod:`musicsage.library.dataset_read`), so one folder means
        the same rows, and earns the same refusals, to both; stricter on one point: a
        membership must name a track of tracks.csv. What is wrong with the folder or a file
        (absent, a folder, a broken link, a pipe) is said first, before any is read."""
        check_training_dataset(path)
        d = Path(path)
        tracks = read_tracks_csv(d / "tracks.csv")
        members = read_memberships_csv(d / "memberships.csv")
        track_ids = tracks.column("track_id")
        if not track_ids:  # "0 playlist memberships … put more tracks in playlists" said less
            raise MusicsageError(f"{tracks.path} holds no track (its header alone): nothing "
                                 "to train on or evaluate; add one row per track")
        features = load_features(d / "features.npy", len(track_ids))  # shape before data
        read_features_json(d, track_ids, features)
        member_tracks = members.column("track_id")
        _refuse_unknown_tracks(members, track_ids)
        metadata = {kind: tracks.column(kind) for kind in METADATA_TYPES
                    if kind in tracks.header}
        if "album" in metadata and "artist" in tracks.header:
            # Album names repeat across artists ("Greatest Hits"): key an album by both.
            metadata["album"] = [f"{ar}\x1f{al}" if al else "" for ar, al in
                                 zip(tracks.column("artist"), metadata["album"])]
        built = cls.build(np.array(track_ids, dtype=object), features,
                          zip(members.column("playlist_id"), member_tracks),
                          metadata=metadata, audio_model="features")
        return (replace(built, read_notes=(overlong_note(tracks.overlong),))
                if tracks.overlong else built)

    @classmethod
    def from_library(cls, conn, audio_model: str, *,
                     audio_version: str | None = None) -> "GraphData":
        """Tracks that have ``audio_model`` embeddings (of ``audio_version``, else the
        library's: :func:`~musicsage.library.queries.shown_version`), their resolved playlist
        memberships, and album/artist from their tags (track ids = DB ids, ascending).

        Missing tracks stay in (their memberships are still the user's taste, and the search
        and map keep them too); tracks without an embedding cannot be placed and are left out.
        """
        from musicsage.library import queries

        ids, matrix = queries.get_embeddings(conn, audio_model, model_version=audio_version)
        if len(ids) == 0:
            raise MusicsageError(f"no track has '{audio_model}' audio embeddings yet: "
                                 f"compute them first ({EMBED_HINT})")
        order = np.argsort(ids)
        ids, matrix = np.asarray(ids, np.int64)[order], np.asarray(matrix, np.float32)[order]
        vectored = ids  # every track with a vector of the version, kept or not
        keep, notes = _leave_out_damaged(conn, ids, matrix, audio_model)
        tags = queries.album_tags(conn)
        keep &= np.array([i in tags for i in ids.tolist()], dtype=bool)
        ids, matrix = ids[keep], matrix[keep]
        known = set(ids.tolist())
        resolved = queries.memberships(conn)
        pairs = [(str(p), int(t)) for p, t in resolved if int(t) in known]
        artists, albums = [], []
        for i in ids.tolist():
            row = tags[i]
            artist = _norm(row["artist"]) or _norm(row["albumartist"])
            album_owner = _norm(row["albumartist"]) or artist
            album = _norm(row["album"])
            artists.append(artist)
            albums.append(f"{album_owner}\x1f{album}" if album else "")
        data = cls.build(ids, matrix, pairs, metadata={"album": albums, "artist": artists},
                         audio_model=audio_model)
        left_out = {int(t) for _p, t in resolved} - known
        return replace(data, library_memberships=len(resolved), read_notes=notes,
                       embeddable_left_out=_embeddable(conn, left_out, vectored,
                                                       audio_model))


def _embeddable(conn, track_ids: set[int], vectored: np.ndarray, audio_model: str) -> int:
    """How many of ``track_ids`` (playlist tracks training left out) an ``embed`` would
    give a vector now: present, with an audio file, lacking a vector of the version trained
    on (``vectored``: the tracks with one), neither their scan nor their ``audio_model``
    analysis failed since they changed — the rule of ``models`` and the window's advice
    (:func:`~musicsage.library.relations.embeddable_playlist_tracks`): "or compute the other
    tracks' embeddings (embed)" was said of failed analyses that ``models`` told apart. Those
    tracks alone are read, by id: a SELECT of every track lacking a vector took a second of
    each train, eval and graph-vector call on a 200,000-track library of which a few
    playlist tracks were left out."""
    lacking = np.setdiff1d(np.fromiter(track_ids, np.int64, len(track_ids)), vectored)
    if not len(lacking):
        return 0
    from musicsage.library.relations import analysable_tracks

    return len(analysable_tracks(conn, lacking.tolist(), audio_model))


def _leave_out_damaged(conn, ids: np.ndarray, matrix: np.ndarray, audio_model: str
                       ) -> tuple[np.ndarray, tuple[str, ...]]:
    """Which rows training keeps, and its note on the ones it left out: tracks whose vectors
    are damaged (NaN or infinite values, or the wrong length: the reader's NaN rows) and that
    no ``embed`` can analyse again (their file is missing or cannot be decoded, or they came
    from a dataset dir) are left out as tracks without a vector are — refusing sent the user
    to an ``embed`` that skips them, or fails on them, again and again. Damaged vectors an
    ``embed`` redoes are refused (:func:`_refuse_damaged`): one run mends them."""
    finite = np.isfinite(matrix).all(axis=1)
    if finite.all():
        return finite, ()
    from musicsage.library.damaged_vectors import beyond_reanalysis, wrong_length_tracks

    damaged = ids[~finite]
    short = wrong_length_tracks(conn, audio_model, damaged.tolist())
    why = beyond_reanalysis(conn, audio_model, damaged.tolist())
    redo = ~np.isin(damaged, np.fromiter(why, np.int64, len(why)))
    _refuse_damaged(conn, damaged[redo], matrix[~finite][redo], audio_model, short)
    counts = [(sum(w == kind for w in why.values()), kind)
              for kind in ("missing", "no audio", "undecodable", "non-finite")]
    words = {"missing": ("file missing", "files missing"),
             "no audio": ("imported from a dataset dir without audio",) * 2,
             "undecodable": ("file cannot be decoded", "files cannot be decoded"),
             "non-finite": (f"whose audio gives NaN or infinite values in {audio_model}",) * 2}
    parts = ", ".join(f"{n} {noun(n, *words[kind])}" for n, kind in counts if n)
    cut = sum(int(i) in short for i in why)
    note = (f"left out {counted(len(why), 'track')} whose '{audio_model}' "
            f"{_damage_words(len(why), cut)} and "
            f"whose audio cannot be analysed again ({parts})")
    if finite.any():
        return finite, (note,)
    raise MusicsageError(f"every track's '{audio_model}' "
                         f"{_damage_words(len(why), cut, agree=1)}, "
                         f"and none can be analysed again ({parts}): nothing is left to "
                         "train on")


def _damage_words(damaged: int, cut: int, *, agree: int | None = None,
                  verbs: bool = True) -> str:
    """What is wrong with ``damaged`` vectors, ``cut`` of them the wrong length: the others
    hold NaN or infinite values — "vectors hold NaN or infinite values", "vector is the wrong
    length (damaged)", or both; without ``verbs``, words that follow "vectors" ("with NaN or
    infinite values", "of the wrong length (damaged)"). The verbs agree with ``agree``
    (default ``damaged``). One place for both forms: the note of tracks left out and the
    refusal of tracks to analyse again."""
    n = damaged if agree is None else agree
    holds, length = ((f"{noun(n, 'vector holds', 'vectors hold')} ",
                      f"{noun(n, 'vector is', 'vectors are')} ") if verbs else ("with ", "of "))
    if not cut:
        return f"{holds}NaN or infinite values"
    if cut >= damaged:
        return f"{length}the wrong length (damaged)"
    also = noun(n, "is", "are") if verbs else "of"
    return f"{holds}NaN or infinite values or {also} the wrong length"


def _refuse_damaged(conn, ids: np.ndarray, matrix: np.ndarray, audio_model: str,
                    short: frozenset[int] = frozenset()) -> None:
    """One line counting the tracks whose stored vectors are damaged — NaN or infinite values,
    or the wrong length (``short``: read as NaN rows) — saying which, naming the first by its
    title and file, and saying how to get new ones: the graph model cannot learn from them
    ("features contain NaN or infinite values" named none of that). A plain
    ``embed`` re-analyses just these tracks
    (:func:`~musicsage.library.damaged_vectors.damaged_vector_tracks`); the remedy it replaced, an
    ``embed`` with other analysis settings, redid every track."""
    bad = np.flatnonzero(~np.isfinite(matrix).all(axis=1))
    if not len(bad):
        return
    from musicsage.library import queries
    from musicsage.library.paths import display

    row = queries.get_track(conn, int(ids[bad[0]]))
    first = f"{row['title']!r}, {display(row['path'])}" if row and row["title"] else (
        display(row["path"]) if row else f"track {int(ids[bad[0]])}")
    cut = sum(int(i) in short for i in ids[bad])
    what = _damage_words(len(bad), cut, verbs=False)
    raise MusicsageError(
        f"{counted(len(bad), 'track')} {noun(len(bad), 'has', 'have')} '{audio_model}' "
        f"vectors {what} ({'' if len(bad) == 1 else 'first: '}{first}); "
        f"the graph model cannot learn from them: analyse their audio again "
        f"({EMBED_HINT}: it redoes just these)")


def _norm(value) -> str:
    """Tag value as a case- and space-insensitive key ('' when absent)."""
    return " ".join(str(value).split()).casefold() if value else ""


def _intern(values, missing=()) -> tuple[np.ndarray, np.ndarray]:
    """Dense indices of ``values`` in first-seen order (-1 for ``missing``) and the keys."""
    index: dict = {}
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if v in missing:
            out[i] = -1
        else:
            out[i] = index.setdefault(v, len(index))
    keys = np.array(list(index), dtype=object)
    return keys, out


def _refuse_unknown_tracks(members: CsvTable, track_ids: list[str]) -> None:
    """One line counting the memberships whose track is not in tracks.csv, and naming the
    first by its line and id — and the id of tracks.csv it differs from only invisibly, if
    one does (:func:`~musicsage.library.dataset_read.lookalike_hint`): a dataset dir must be
    consistent (``import`` keeps such rows as unresolved entries instead)."""
    member_tracks, known = members.column("track_id"), set(track_ids)
    unknown = [i for i, t in enumerate(member_tracks) if t not in known]
    if unknown:
        first, n = unknown[0], len(unknown)
        verb = noun(n, "names a track that is", "name tracks that are")
        raise MusicsageError(f"{members.path}: {counted(n, 'membership')} {verb} not in the "
                             f"track list of tracks.csv ({'' if n == 1 else 'first: '}line "
                             f"{members.lines[first]}, track_id {member_tracks[first]!r})"
                             f"{lookalike_hint(member_tracks[first], track_ids)}")
