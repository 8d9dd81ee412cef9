"""Music tags of a file: MusiCNN's taggram averaged over the file's patches.

As the original's ``top_tags``: every 3-s patch of the whole file (no overlap) gets tag
probabilities, and the song-level likelihood of a tag is their mean over patches.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from musicsage.audio.musicnn import features

if TYPE_CHECKING:
    from musicsage.context import AppContext

MAX_TAG_SECONDS = 20 * 60.0
"""Longer files are tagged from their first 20 minutes (bounded time and memory)."""


def tag_probabilities(ctx: "AppContext", path: str | os.PathLike[str], *,
                      model: str = "MSD_musicnn", progress=None,
                      cancel=None) -> list[tuple[str, float]]:
    """Every tag of ``model`` with its mean probability over the file, most probable first.

    Raises DecodeError (a MusicsageError) for an unreadable file and MissingWeights when the
    checkpoints cannot be had.
    """
    from musicsage.audio import decode
    from musicsage.audio.musicnn.network import load_network, normalise_checkpoint, run_network

    model = normalise_checkpoint(model)  # cheap checks first: a bad name or file fails fast
    audio = decode.load(path, sr=features.SAMPLE_RATE, max_seconds=MAX_TAG_SECONDS)
    refuse_what_the_scan_refuses(path)
    network = load_network(ctx, model, progress=progress, cancel=cancel)
    patches = features.to_patches(features.log_mel_spectrogram(audio))
    taggram = run_network(network.module, patches)["taggram"].numpy()
    likelihood = taggram.mean(axis=0)
    order = np.argsort(-likelihood, kind="stable")
    return [(network.labels[i], float(likelihood[i])) for i in order]


def refuse_what_the_scan_refuses(path: str | os.PathLike[str]) -> None:
    """Raise DecodeError, in the scan's words, for a file of a format the scan reads that it
    would refuse (:func:`musicsage.library.tags.probe`). The decoder reads what a cut file
    still holds: ``tags cut.wav`` gave confident tags for a file that ``scan`` refuses as
    "audio ends early". Other formats (which the decoder may still read) are left to it.
    Called after the decoder has read the file: it has refused a missing file, a FIFO (which
    the probe's ``open`` would wait on) or a folder in its own words."""
    from musicsage.audio.decode import DecodeError
    from musicsage.library.paths import shown
    from musicsage.library.tags import UnreadableAudio, audio_format, probe

    fs_path = os.fsdecode(os.fspath(path))
    if audio_format(fs_path) is None:
        return
    try:
        probe(fs_path)
    except UnreadableAudio as exc:
        raise DecodeError(f"{shown(fs_path)}: {exc}") from None
