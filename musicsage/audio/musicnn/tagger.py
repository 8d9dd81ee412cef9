"""Music tags of a file: MusiCNN's taggram averaged over the file's patches.

As the original's ``top_tags``: every 3-s patch of the whole file (no overlap) gets tag
probabilities, and the song-level likelihood of a tag is their mean over patches.

A silent file, one too quiet for the network to hear and one too short get no tags
(:class:`NoTags`): the network scores every input, and scored silence as ``rock 0.200``
(``indie 0.126``, ``electronic 0.114``; a tag cache written before drops such answers once:
:data:`musicsage.library.tag_cache.SILENCE_ANSWER`) and one sample as ``experimental
0.709``, printed as if heard. It gives that answer, or the same three tags reordered, to much
more than silence: 30-75 s excerpts of a Brahms dance and of two Kevin MacLeod pieces
scaled to a peak of -44, -40 or -38 dBFS (two of the three still at -38); at -36 dBFS none
gave it any more, and real tags come from about -33 dBFS. Hence :data:`QUIET_DB`: below it a
file is "too quiet to tag", and below :data:`SILENT_PEAK_DB` "silent". Clips shorter than
:data:`MIN_TAG_SECONDS` scored tags the whole recording lacks. Only the audio tagged (the
first :data:`MAX_TAG_SECONDS`) is judged.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from musicsage.audio.musicnn import features
from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    from musicsage.context import AppContext

MAX_TAG_SECONDS = 20 * 60.0
"""Longer files are tagged from their first 20 minutes (bounded time and memory)."""
MIN_TAG_SECONDS = 0.5
"""Shorter audio has no tags: half a second of a jazz recording scored ``jazz`` first, as
the whole does; 0.01-0.3 s of it scored ``ambient`` or ``electronic`` (up to 0.8)."""
SILENT_PEAK_DB = -60.0
"""Audio whose loudest sample is below this (dB of full scale) is silence: no tags."""
QUIET_DB = -43.0
"""Audio whose 99.9th percentile of ``|sample|`` is below this (dB of full scale) is too
quiet for the network, which answers it as it answers silence (module doc): no tags, said as
"too quiet" rather than "silent". The percentile, not the peak, since one click at -6 dBFS in
30 s of zeros got the silence answer too. On the excerpts a peak of -38 dBFS put the three
recordings at -41.7 to -43.9 dBFS by it; but the rule judges all that is tagged (up to the
first :data:`MAX_TAG_SECONDS`), and whole files measure otherwise: the Brahms at a -36 dBFS
peak is heard at -42.4 (-42 refused it), Sugar Plum Fairy at -36 gets the silence answer at
-43.2 and is heard at -34 (-41.2). At -43 those fall right, narrowly (tenths of a dB, three
recordings); no level parts every case: the whole Vibe Ace at a -40 dBFS peak measures -43.8
and is called too quiet, though the network answered rock, indie, alternative — the silence
answer but for its third tag."""


class NoTags(MusicsageError):
    """The file decodes but holds nothing to tag (silent, too quiet, or shorter than
    :data:`MIN_TAG_SECONDS`); the message says which, in one line."""


class UntaggableAudio(MusicsageError):
    """The file's spectrogram patches are not finite: a float file whose samples are far out
    of range (1e30 where audio stays within ±1) overflows them, and ``tags`` printed every tag
    as ``nan`` (``--json``: ``"p": NaN``, no JSON). A failure, not :class:`NoTags`:
    ``tags --library`` counts it as failed and keeps nothing for it."""


def no_tags_reason(audio: np.ndarray, *, cut: bool = False) -> str | None:
    """Why decoded ``audio`` (mono, :data:`features.SAMPLE_RATE`) has no tags; None if it has.
    ``cut``: the file is longer than ``audio``, its first :data:`MAX_TAG_SECONDS` (said)."""
    from musicsage.text import counted

    seconds = len(audio) / features.SAMPLE_RATE
    if seconds < MIN_TAG_SECONDS:
        length = f"{seconds:.2f} s" if seconds >= 0.01 else counted(len(audio), "sample")
        return f"it is too short ({length} of audio; tags need at least {MIN_TAG_SECONDS:g} s)"
    level = float(np.percentile(np.abs(audio), 99.9))
    if not level < 10 ** (QUIET_DB / 20):  # NaN (a float file's) is not silence
        return None
    where = f" in its first {MAX_TAG_SECONDS / 60:g} minutes" if cut else ""
    if float(np.max(np.abs(audio))) < 10 ** (SILENT_PEAK_DB / 20):
        return f"it is silent{where} (no sample above {SILENT_PEAK_DB:g} dBFS)"
    return (f"it is too quiet to tag{where} (99.9 % of its samples below {QUIET_DB:g} "
            "dBFS)")


def tag_probabilities(ctx: "AppContext", path: str | os.PathLike[str], *,
                      model: str = "MSD_musicnn", progress=None,
                      cancel=None) -> list[tuple[str, float]]:
    """Every tag of ``model`` with its mean probability over the file, most probable first.

    Raises DecodeError (a MusicsageError) for an unreadable file, :class:`NoTags` for a
    silent, too quiet or too short one, :class:`UntaggableAudio` for one far out of range
    (no finite answer), and MissingWeights when the checkpoints cannot be had.
    """
    from musicsage.audio import decode
    from musicsage.audio.musicnn.network import load_network, normalise_checkpoint, run_network
    from musicsage.library.paths import shown

    model = normalise_checkpoint(model)  # cheap checks first: a bad name or file fails fast
    # a second more than is tagged: whether the file is longer (said when it has no tags)
    audio = decode.load(path, sr=features.SAMPLE_RATE, max_seconds=MAX_TAG_SECONDS + 1)
    refuse_what_the_scan_refuses(path)
    kept = int(MAX_TAG_SECONDS * features.SAMPLE_RATE)
    cut = len(audio) > kept
    audio = audio[:kept]
    why = no_tags_reason(audio, cut=cut)
    if why:
        raise NoTags(f"{shown(os.fsdecode(os.fspath(path)))} has no tags: {why}")
    patches = features.to_patches(features.log_mel_spectrogram(audio))
    if not np.isfinite(patches).all():  # a network need not pass NaN through; and checked
        # before load_network, which may download the weights only to refuse the file
        raise UntaggableAudio(f"{shown(os.fsdecode(os.fspath(path)))} cannot be tagged: its "
                              "samples are far out of range (audio stays within ±1); export "
                              "it again at a normal level")
    network = load_network(ctx, model, progress=progress, cancel=cancel)
    likelihood = run_network(network.module, patches)["taggram"].numpy().mean(axis=0)
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
