"""One track's turn in a decode worker of the embed job (:mod:`musicsage.audio.embed_job`):
the memory its analysis needs reserved (:mod:`musicsage.audio.memory_need`), the policy's spans
of its file decoded, its units prepared. A bad file's failure comes back as data for the job to
record, never raised; only a Cancel is raised, so that a track waiting for memory is given up
(not decoded, not stored, not failed) and the run stops at once.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace

import numpy as np

from musicsage.audio import decode
from musicsage.audio.embed_files import FileIdentity, file_identity
from musicsage.audio.embed_words import memory_error, too_short_error
from musicsage.audio.embedder import AudioEmbedder
from musicsage.audio.memory_need import release_memory, reserve_memory
from musicsage.audio.musicnn.tagger import refuse_what_the_scan_refuses
from musicsage.errors import Cancelled, MusicsageError
from musicsage.library.paths import to_fs
from musicsage.progress import CancelToken, check_cancel

log = logging.getLogger("musicsage.audio.embed_job")  # the job's name, as a debugging log knew it


@dataclass
class Prepared:
    """One track as its decode worker left it: its units, or why it has none."""

    track_id: int
    path: str
    units: np.ndarray | None = None
    error: str | None = None
    stamp: str | None = None
    """The track's ``updated_at`` when listed: another one at commit is a scan's meanwhile."""
    file: FileIdentity | None = None
    """The decoded file's :func:`~.embed_files.file_identity`, taken before decoding."""
    memory: bool = False
    """``error`` is that the memory ran out (:func:`.memory_error`), not a fault of the file."""
    short: bool = False
    """``error`` is that its audio is too short to analyse (:func:`.too_short_error`)."""


def prepare_track(embedder: AudioEmbedder, track_id: int, path: str,
                  stamp: str | None = None, cancel: CancelToken | None = None) -> Prepared:
    """Decode the policy's spans of one file and prepare its units (runs in a worker thread).

    Never raises for a bad file: the failure comes back as ``error`` for the job to record.
    ``stamp``: the track's ``updated_at`` as listed, carried to the commit. ``cancel`` (the
    run's Cancel, or the job's stop once the run failed) set before the track's memory is
    reserved (while it waits for other tracks' memory, say) raises
    :class:`~musicsage.errors.Cancelled`: the track is given up, left to the next run.
    """
    identity = file_identity(path)  # before decoding: a file replaced meanwhile differs from it
    return replace(_prepare(embedder, track_id, path, cancel), stamp=stamp, file=identity)


def _prepare(embedder: AudioEmbedder, track_id: int, path: str,
             cancel: CancelToken | None) -> Prepared:
    """:func:`prepare_track` but the stamp: a bad file's failure as ``error``, never raised."""
    seconds = None  # of audio analysed, once known: said where the memory runs out
    try:
        check_cancel(cancel)  # a queued track after the Cancel: its probe may decode it whole
        info = decode.probe(to_fs(path))
        spans = embedder.spans(info.duration_s)
        seconds = min(sum(length for _, length in spans), info.duration_s or float("inf"))
        per_second = max(embedder.memory_per_second(), decode.memory_per_second(info))
        # a length not known is not checked
        reserved = reserve_memory(info.duration_s and seconds, per_second, cancel)
        if reserved is None:  # else the kernel kills the process without a word
            return Prepared(track_id, path, error=memory_error(path, seconds), memory=True)
        try:
            return _decoded(embedder, track_id, path, info, spans, seconds)
        finally:
            release_memory(reserved)
    except Cancelled:  # a MusicsageError too, but no failure of the track's
        raise
    except Exception as exc:
        if decode.out_of_memory(exc):  # the seconds asked of a long track: a fine file
            return Prepared(track_id, path, error=memory_error(path, seconds), memory=True)
        if isinstance(exc, MusicsageError):
            return Prepared(track_id, path, error=str(exc))
        # a decoder or DSP failure on odd data is still one track's problem,
        # said on its failed line; its traceback deliberately at DEBUG, for a debugging log
        # only: no handler of the app shows it (as a warning, the terminal printed it)
        log.debug("embedding %s failed", path, exc_info=True)
        return Prepared(track_id, path, error=f"{os.path.basename(path)}: "
                                               f"{type(exc).__name__}: {exc}")


def _decoded(embedder: AudioEmbedder, track_id: int, path: str, info: decode.AudioInfo,
             spans: list[decode.Span], seconds: float) -> Prepared:
    """The track's spans decoded and its units prepared (memory reserved by ``_prepare``)."""
    excerpts = decode.read_spans(to_fs(path), spans, sr=embedder.sample_rate, info=info)
    refuse_what_the_scan_refuses(to_fs(path))  # a WAV cut short since: no vector of it
    short = too_short_error(path, info, sum(len(x) for x in excerpts),
                            embedder.sample_rate, seconds)
    if short:  # one sample: its vector was the padding's, every track's neighbour
        return Prepared(track_id, path, error=short, short=True)
    units = embedder.prepare(excerpts)
    if len(units) == 0:
        raise MusicsageError("no frames to embed")
    return Prepared(track_id, path, units=units)
