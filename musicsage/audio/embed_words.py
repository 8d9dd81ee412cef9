"""What the embed job (:mod:`.embed_job`) says to the user beyond a decoder's own reason: the
failure of a track whose vector overflowed, of one the memory ran out on, of one too short to
analyse, what to do about the files that failed (:func:`failed_advice`: damaged, gone, too long
for the memory, too short), and the note on the damaged vectors a run redoes. Apart from the
job so that it stays the pipeline.

A track the memory ran out on is no damaged file: ``embed --max-seconds 7200`` asks for the
whole of a 2-hour mix (the DSP model's frames of it alone are 4.7 GiB), the setting is
remembered for later runs, and such a track failed every run as "cannot decode (Unable to
allocate …)" with the advice to replace the file with a good copy (re-rip it).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from musicsage.library.paths import display

if TYPE_CHECKING:
    from musicsage.audio.decode import AudioInfo

MIN_EMBED_SECONDS = 0.1
"""Audio shorter than this (a click, one sample) is no track to analyse: every model pads it
to its frame (the spectral model's window alone is 93 ms), so its vector was the padding's,
silence's, stored as if analysed — and listed as every track's neighbour."""
MEMORY_ADVICE = "analyse fewer seconds per track (embed --max-seconds)"
"""What to do about a track too long for the memory at the seconds analysed per track."""


def non_finite_error(model_id: str) -> str:
    """The failure recorded for a track whose vector came out with NaN or infinite values."""
    from musicsage.library.damaged_vectors import NON_FINITE_WORDS

    return (f"{model_id} {NON_FINITE_WORDS} for this audio (samples far outside "
            "the normal range?): export the file again at a normal level")


def memory_error(path: str, seconds: float | None) -> str:
    """The failure recorded for a track whose analysis ran out of memory (``path``: its
    stored form; ``seconds``: the audio analysed of it, None where not yet known)."""
    what = f"{seconds:.0f} s of its audio" if seconds is not None else "its audio"
    return (f"{os.path.basename(display(path))}: not enough memory to analyse {what} at "
            f"once: {MEMORY_ADVICE}")


def memory_advice(count: int) -> str:
    """The note on ``count`` tracks failed for want of memory (not a damaged file's note)."""
    which = ("the file that failed for want of memory is" if count == 1 else
             f"the {count} files that failed for want of memory are")
    return f"{which} not damaged: {MEMORY_ADVICE}"


def too_short_advice(count: int) -> str:
    """The note on ``count`` files too short to analyse (:func:`too_short_error`): a click of
    1 sample is no damaged file, and "replace it with a good copy (re-rip it)" misled."""
    from musicsage.text import counted, noun

    return (f"{counted(count, 'file')} {noun(count, 'is', 'are')} too short to analyse (under "
            f"{MIN_EMBED_SECONDS:g} s): {noun(count, 'it gets', 'they get')} no vector")


def failed_advice(failed: int, vanished: int, short_of_memory: int, too_short: int) -> str:
    """What to do about the ``failed`` files ("" when none did), each kind said apart: those
    gone since the last scan (``vanished``), those the memory ran out on, those too short to
    analyse, and the rest (damaged). A failed track stays in the library and every run tries
    it again (a file may become readable), so "1 failed" alone came back on every run with
    nothing to act on."""
    damaged = failed - vanished - short_of_memory - too_short
    advice = [] if damaged <= 0 else [
        "the file that failed is tried again on every embedding run: replace it with a "
        "good copy (re-rip it), or delete it and scan" if damaged == 1 else
        f"the {damaged} files that failed are tried again on every embedding run: "
        "replace them with good copies (re-rip them), or delete them and scan"]
    if short_of_memory:  # a fine file: "replace it with a good copy" misled
        advice.append(memory_advice(short_of_memory))
    if too_short:  # a click: nothing to replace, and no vector of padding for it
        advice.append(too_short_advice(too_short))
    if vanished:  # "delete it and scan" of a file already gone: scanning is all
        advice.append(vanished_advice(vanished, all_failed=not advice))
    return "; ".join(advice)


def vanished_advice(count: int, *, all_failed: bool) -> str:
    """What to do about ``count`` failed tracks whose files are gone since the last scan."""
    if count == 1:
        which = "the file that failed" if all_failed else "1 more file that failed"
        return (f"{which} is gone since the last scan (deleted or moved): scan its music "
                "folder to mark it missing or find it moved, or put it back")
    which = f"the {count} files" if all_failed else f"{count} more files"
    which += " that failed"
    return (f"{which} are gone since the last scan (deleted or moved): scan their music "
            "folder to mark them missing or find them moved, or put them back")


def damaged_note(count: int) -> str:
    """``embed``'s line on the damaged vectors it redoes ("" when none were found), in the
    words of ``stats`` and ``train``: a vector cut short is damaged too, yet holds no NaN."""
    from musicsage.library.damaged_vectors import DAMAGE_WORDS
    from musicsage.text import counted, noun

    if not count:
        return ""
    return (f"re-analysing {counted(count, 'track')} whose stored "
            f"{noun(count, 'vector was', 'vectors were')} damaged ({DAMAGE_WORDS})")


def too_short_error(path: str, info: "AudioInfo", samples: int, sr: int,
                    asked_s: float) -> str | None:
    """The failure recorded for a track whose audio is shorter than :data:`MIN_EMBED_SECONDS`
    (None when it is not): judged by its stated length (``info``), else by the ``samples``
    decoded (at ``sr``) when they are less than the ``asked_s`` seconds (the file ended). A
    short ``--max-seconds`` is the user's choice, not a short file. ``path``: its stored
    form."""
    from musicsage.text import counted

    known = info.duration_s is not None and 0 < info.duration_s < float("inf")
    length = info.duration_s if known else samples / sr
    # a source sample's slack and one of rounding: resampled, 0.07 s asked of a 48 kHz stream
    # came to 0.069977 s; an 8 kHz one (a sample is 2.8 of ours) fell further short
    slack = 1 + sr / info.sample_rate if info.sample_rate else 1
    if length >= MIN_EMBED_SECONDS or (not known and samples + slack >= asked_s * sr):
        return None
    # whole milliseconds, rounded down: 0.09998 s read "0.10 s; at least 0.1 s is needed"
    said = f"{int(length * 1000)} ms" if length >= 0.01 else counted(
        round(length * info.sample_rate) if known else samples, "sample")
    return (f"{os.path.basename(display(path))}: too short to analyse ({said} of audio; at "
            f"least {MIN_EMBED_SECONDS:g} s is needed): its vector would be the model's "
            "padding, not its sound")
