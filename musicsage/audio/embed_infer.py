"""The model's side of an embed job (:mod:`.embed_job`): one pass over a batch's units,
pooled per track (:func:`infer_and_pool`, run in an inference lane), and the units a track
too short to analyse is padded to (:func:`padding_units`), whose pass gives the padding an
older version stored as that track's vector. Apart from the job so that it stays the
pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from musicsage.audio.embed_job import _Prepared
    from musicsage.audio.embedder import AudioEmbedder


def padding_units(embedder: "AudioEmbedder", excerpts: list) -> np.ndarray | None:
    """The units of a track too short to analyse, as the model pads them (None where it
    cannot): inferred, they give the padding an older version stored as its vector, which
    is then told from a vector of real audio (:func:`.drop_padding_vector`)."""
    try:
        units = embedder.prepare(excerpts)
    except Exception:  # no padding to tell: the track fails as too short all the same
        return None
    return units if len(units) else None


def infer_and_pool(embedder: "AudioEmbedder",
                   batch: "list[_Prepared]") -> "tuple[list[_Prepared], list[np.ndarray]]":
    """One model pass over the batch's units (chunked to ``batch_size``), pooled per track.
    numpy's overflow warnings are kept quiet in pooling: a vector that overflows is a failure
    of its track (``_Job._commit``), and the warning's bare source line ("ret = umr_sum(…)")
    landed among the command's lines."""
    units = np.concatenate([item.units for item in batch], axis=0)
    outs = [embedder.infer(units[i:i + embedder.batch_size])
            for i in range(0, len(units), embedder.batch_size)]
    embs = np.concatenate(outs, axis=0)
    vectors, start = [], 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # this thread's
        for item in batch:
            n = len(item.units)
            vectors.append(embedder.pool(embs[start:start + n]))
            start += n
    return batch, vectors
