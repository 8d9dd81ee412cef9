"""Which ending of a file's name is its audio extension, as the searches read names (the
window's search box, ``search``-like lists and ``similar QUERY``: one list for both).

A scan stores only files of :data:`~musicsage.library.tags.AUDIO_EXTENSIONS`, but a dataset
dir's ``path`` column may name any file (docs/dataset-dir.md): GTZAN's ``blues.00000.au``,
a MIDI set's ``.mid``, an MP2 broadcast archive. Their extensions were searched as words,
and "au" matched every GTZAN track. A dot before anything else is kept: a made-up name's
``take5.v2`` or ``Mr.Brightside`` holds its own dot, and nothing tells it from an extension
(``v2`` must still find ``take5.v2``). A name's own dot before one of these endings is read
as an extension all the same: a dataset file ``Sun.Ra`` without one is searched as "Sun"
(``.ra`` is RealAudio), and "ra" no longer finds it (rare: a dataset path needs no
extension, but most have one).
"""

from __future__ import annotations

import os

from musicsage.library.tags import AUDIO_EXTENSIONS, UNSUPPORTED_EXTENSIONS

DATASET_AUDIO_EXTENSIONS = frozenset({
    ".au", ".snd", ".mp2", ".mp1", ".mpga", ".m4b", ".webm", ".weba", ".amr", ".ac3", ".eac3",
    ".dts", ".spx", ".w64", ".rf64", ".3gp", ".mid", ".midi", ".kar"})
"""Audio files a scan does not take but a dataset dir may name, which ``embed`` decodes
through FFmpeg (MIDI: a dataset's score beside its audio)."""

NAME_EXTENSIONS = frozenset(AUDIO_EXTENSIONS) | UNSUPPORTED_EXTENSIONS | DATASET_AUDIO_EXTENSIONS
"""Every ending (lower case) left out of a searched file name."""


def without_extension(name: str) -> str:
    """A file's ``name`` less its audio extension (any case, :data:`NAME_EXTENSIONS`), as
    the search reads it: with it, "la" found 170 of the demo's 240 tracks (66 by their
    tags), "lac" every FLAC and "og" every Ogg. Any other dot is the name's own: a dataset
    dir's path need not be audio, and "Mr.Brightside" or "take5.v2" cut at their last dot
    were no longer found by "brightside" or "v2" (``similar`` reads names the same way)."""
    stem, ext = os.path.splitext(name)
    return stem if ext.lower() in NAME_EXTENSIONS else name
