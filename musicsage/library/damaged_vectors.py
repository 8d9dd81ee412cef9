"""Stored audio vectors that hold NaN or infinite values, or are not the ``dim`` floats their
row declares (cut short, overwritten): which tracks an ``embed`` analyses again although a
vector of its model and version is stored (see :func:`damaged_vector_tracks`), and which it
cannot (:func:`beyond_reanalysis`: missing, dataset or undecodable tracks, or ones the model
overflows on; training leaves those out instead, and an embed that fails on a track drops its
damaged vector: :func:`drop_damaged_vector`), and which are the wrong length
(:func:`wrong_length_tracks`, for training's words), and which failed their analysis
(:func:`failed_since_change`, tried after the others by ``embed --limit``). One test of a
vector's length (:func:`~musicsage.library.queries.whole_vector`) serves them all, and the
reader too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from musicsage.library.queries import get_track, whole_vector

_REANALYSABLE = "t.status = 'present' AND substr(t.path, 1, 1) = '/'"
"""The tracks an ``embed`` can analyse: present, with an audio file (a dataset dir's track has
a synthetic path and no audio)."""

DAMAGE_WORDS = "NaN or infinite values, or the wrong length"
"""What makes a stored vector damaged, in the words ``stats``, ``embed`` and ``train`` share:
"damaged: NaN or infinite values" in ``stats`` and ``embed`` was untrue of a vector cut short,
which ``train`` called the wrong length."""

NON_FINITE_WORDS = "gave NaN or infinite values"
"""What the error recorded for a track whose vector came out non-finite says
(:func:`musicsage.audio.embed_job.non_finite_error`): its file decoded, the model overflowed."""

_FAILED = ("EXISTS (SELECT 1 FROM errors r WHERE r.path = t.path AND r.stage = ?"
           " AND r.created_at >= COALESCE(t.updated_at, ''))")
"""The track's analysis failed since its file last changed (bound: ``embed:<model id>``), as
:func:`~musicsage.library.queries.count_failed_needing_embedding` reads it."""


def damaged_vector_tracks(conn: sqlite3.Connection, model_id: str,
                          model_version: str) -> list[sqlite3.Row]:
    """The tracks an embed analyses again although they hold a vector of this model and
    version: present, with an audio file, and that vector holds NaN or infinite values (a
    damaged database, an older bug). Training refuses such a vector and a search leaves its
    track out, so it counts as none; only re-analysing these spares a big library the hours
    of an ``embed`` with other settings, which redid every track. One pass over the stored
    blobs when embed runs (no decoding), never on the window's reads of the library."""
    cur = conn.execute(
        "SELECT e.track_id, e.dim, e.vector FROM audio_embeddings e JOIN tracks t"
        f" ON t.id = e.track_id WHERE e.model_id = ? AND e.model_version = ? AND {_REANALYSABLE}",
        (model_id, model_version))
    bad: list[int] = []
    while batch := cur.fetchmany(4096):
        bad += [int(track_id) for track_id in _damaged_keys(batch)]
    return [row for row in (get_track(conn, i) for i in bad) if row is not None]


def drop_damaged_vector(conn: sqlite3.Connection, track_id: int, model_id: str) -> bool:
    """Delete the track's ``model_id`` vector if it is damaged (NaN or infinite values, cut
    short); True when one was. Called when analysing the track again failed: an older
    version stored such vectors, and kept, it was "re-analysed" and failed on every embed
    and made training leave the track out; without it the track simply has no vector of
    that model, which every path handles. A finite vector is never touched (the app made
    both; only the damaged one is worthless)."""
    row = conn.execute("SELECT track_id, dim, vector FROM audio_embeddings WHERE track_id = ?"
                       " AND model_id = ?", (int(track_id), model_id)).fetchone()
    if row is None or not _damaged_keys([row]):
        return False
    conn.execute("DELETE FROM audio_embeddings WHERE track_id = ? AND model_id = ?",
                 (int(track_id), model_id))
    return True


def beyond_reanalysis(conn: sqlite3.Connection, model_id: str,
                      track_ids: Iterable[int]) -> dict[int, str]:
    """Of ``track_ids`` (tracks with damaged ``model_id`` vectors), those no ``embed`` can
    analyse again, each with why: ``"missing"`` (its file is gone), ``"no audio"`` (imported
    from a dataset dir) or ``"undecodable"`` (its analysis with ``model_id`` failed since the
    file last changed: an ``embed:<model id>`` error, as ``stats`` counts them). Training
    leaves them out, as it does tracks without a vector: refusing sent the user to an
    ``embed`` that skips them, or fails on them again, for ever. A file replaced since (a
    scan sees it changed) is no longer one of them. The others are
    :func:`damaged_vector_tracks`'. A failure recorded as the model's NaN or infinite output
    (the file decodes; the model overflows on it) is ``"non-finite"``, not "undecodable"."""
    ids = [int(i) for i in track_ids]
    out: dict[int, str] = {}
    stage = f"embed:{model_id}"
    for start in range(0, len(ids), 500):  # SQLite's bound on a statement's parameters
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for track_id, has_file, present, overflowed in conn.execute(
                f"SELECT t.id, substr(t.path, 1, 1) = '/', t.status = 'present',"
                f" {_FAILED.replace('?', '? AND r.message LIKE ?')} FROM tracks t"
                f" WHERE t.id IN ({marks}) AND (NOT ({_REANALYSABLE}) OR {_FAILED})",
                [stage, f"%{NON_FINITE_WORDS}%", *chunk, stage]):
            out[int(track_id)] = ("no audio" if not has_file else
                                  "missing" if not present else
                                  "non-finite" if overflowed else "undecodable")
    return out


def failed_since_change(conn: sqlite3.Connection, model_id: str) -> set[int]:
    """The tracks whose analysis with ``model_id`` failed since their file last changed (an
    ``embed:<model id>`` error, as ``stats`` counts them): ``embed --limit`` takes them after
    the tracks never tried, which the same few files failing again blocked for good."""
    return {int(track_id) for (track_id,) in conn.execute(
        f"SELECT t.id FROM tracks t WHERE {_FAILED}", (f"embed:{model_id}",))}


def left_out_for_damage(conn: sqlite3.Connection, model_id: str, track_ids: Iterable[int],
                        beyond: Iterable[int] | None = None) -> np.ndarray:
    """Of ``track_ids``, those whose ``model_id`` vector is damaged and that no ``embed`` can
    analyse again (:func:`beyond_reanalysis`): training left them out, so they are no new
    tracks for its model to place, nor ones to "retrain to learn from". Reads the vectors of
    those candidates only (missing, dataset and undecodable tracks), checked a batch at a
    time: a present track's damage an embed mends. ``beyond``: :func:`beyond_reanalysis` of
    ``track_ids`` when the caller read it already (it wants the reasons too)."""
    candidates = list(beyond_reanalysis(conn, model_id, track_ids) if beyond is None
                      else beyond)
    bad = [int(track_id) for track_id in
           _damaged_keys(_vector_rows(conn, model_id, candidates))]
    return np.array(sorted(set(bad)), dtype=np.int64)


def wrong_length_tracks(conn: sqlite3.Connection, model_id: str,
                        track_ids: Iterable[int]) -> frozenset[int]:
    """Of ``track_ids``, those whose stored ``model_id`` vector is not the ``dim`` floats its
    row declares (cut short, overwritten: a 3-byte blob), by the test every damage count here
    and the reader make (:func:`~musicsage.library.queries.whole_vector`). The reader turns
    such a vector into NaN, and training called it one "with NaN or infinite values": a user
    looked for a model that overflowed instead of a damaged database. Reads the blobs of
    ``track_ids`` only (the damaged ones, a few)."""
    return frozenset(int(track_id) for track_id, dim, blob
                     in _vector_rows(conn, model_id, track_ids) if not whole_vector(dim, blob))


def _vector_rows(conn: sqlite3.Connection, model_id: str,
                 track_ids: Iterable[int]) -> Iterator[tuple[int, int, bytes]]:
    """``(track id, dim, blob)`` of the stored ``model_id`` vectors of ``track_ids``, read 500
    ids a statement (SQLite's bound on a statement's parameters): the one query behind
    :func:`left_out_for_damage` and :func:`wrong_length_tracks`, which had two copies."""
    ids = [int(i) for i in track_ids]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        yield from conn.execute(
            f"SELECT track_id, dim, vector FROM audio_embeddings WHERE model_id = ?"
            f" AND track_id IN ({','.join('?' * len(chunk))})", [model_id, *chunk]).fetchall()


def damaged_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Damaged stored vectors (NaN or infinite values, not ``dim`` floats long) per audio
    model id (none: absent), for
    ``stats``: a user saw them only when ``train`` refused. One pass over every stored blob,
    read in bounded batches (~0.2 s for 28k vectors of the default 512 dimensions), so never
    on the window's frequent reads."""
    out: dict[str, int] = {}
    cur = conn.execute("SELECT model_id, dim, vector FROM audio_embeddings")
    while batch := cur.fetchmany(4096):
        for model_id in _damaged_keys(batch):
            out[model_id] = out.get(model_id, 0) + 1
    return out


def _damaged_keys(rows: Iterable[Sequence]) -> list:
    """The first field of each of ``rows`` (key, declared ``dim``, stored blob) whose vector
    is damaged, as :func:`~musicsage.library.queries.get_embeddings` reads it: a blob that is
    not ``dim`` float32s long (cut short, overwritten, an empty one) or that holds NaN or
    infinite values. Comparing with ``dim`` matters: a blob of a whole number of floats but
    the wrong length was read as damaged by every search and training, yet ``stats`` counted
    none and ``embed`` found nothing to redo. Rows are grouped by length for one numpy pass
    a group (a row at a time cost ``stats`` a third of a second at 28k)."""
    groups: dict[int, list[tuple[object, bytes]]] = {}
    bad: list = []
    for key, dim, blob in rows:
        if not whole_vector(dim, blob):
            bad.append(key)
        else:
            groups.setdefault(len(blob), []).append((key, blob))
    for group in groups.values():
        floats = np.frombuffer(b"".join(blob for _k, blob in group), dtype="<f4")
        finite = np.isfinite(floats.reshape(len(group), -1)).all(axis=1)
        bad += [key for (key, _b), ok in zip(group, finite) if not ok]
    return bad
