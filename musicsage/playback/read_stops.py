"""Why a decoder's read of a track stopped part-way, in a listener's words: damaged data
(:class:`DamagedAudio`), a file gone from under it (:class:`AudioGone`), or a file overwritten
in place while it played (:class:`AudioChanged`), and the checks that tell the last apart.

A compressed file overwritten by one of another width (``cp`` over it: the same file, new
bytes) fails to decode, or stops short, where the new data begins, and the file opened again
tells the change (:func:`check_width`, :func:`same_width`). A WAV's (AIFF's…) samples are
raw bytes read at the width its header gave at the start: the new bytes of another width
decode without an error, as noise, to the old length. So while libsndfile reads, the file is
looked at between blocks (:class:`OverwriteWatch`): where the same file (not another one moved
over it, which leaves the one opened whole) changed and now has another width, the track ends
there as the compressed ones do. A touch, or a tag rewritten in place, keeps the width and
plays on. A WAV of the same width whose audio now begins elsewhere (a ``LIST`` chunk before
its ``data``) is read from the old offset, misaligned: noise, so a moved offset ends it too.
A read that comes up short after the file opened was written to, where it no longer opens (a
copy truncated it, its header not written yet) or is smaller than it was (a copy's header
written, its audio not all yet, or a shorter file copied over it), ends with the change
said, not silently, where its format's length is exact (not an MP3's guess, nor an Ogg's).
"""

from __future__ import annotations

import os

from musicsage.decoder_noise import decoder_noise_muted
from musicsage.errors import MusicsageError
from musicsage.library.paths import shown
from musicsage.library.wav_sizes import wav_sizes


class DamagedAudio(MusicsageError, RuntimeError):
    """The decoder met data it cannot decode; every block before it was delivered. A
    ``RuntimeError`` too, as libsndfile's own read errors are, for callers that catch those."""

    reason = "damaged audio data"  # what the player says of it after the file's name


class AudioGone(DamagedAudio):
    """A read failed and the file is gone (its drive unplugged): not damage in the file."""

    reason = "the file can no longer be read (its drive unplugged, or the file moved?)"


class AudioChanged(DamagedAudio):
    """The file was overwritten while it played (another rate or channel count read where
    the blocks went on): not damage, and never the sound device's fault — its blocks, of
    another width, made the sound card's callback fail ("audio output stalled")."""

    reason = "the file changed on disk while playing; start it again to play it as it is now"


def shown_name(path: str) -> str:
    """The file's name as a player's line shows it (not its folder)."""
    return shown(os.path.basename(path))


def damaged(path: str) -> DamagedAudio:
    """The one line every read failure of ``path``'s audio gives: libsndfile's and FFmpeg's;
    "damaged" only while the file is still there (a drive unplugged made reads fail too)."""
    if not os.path.isfile(path):
        return AudioGone(f"{shown_name(path)}: {AudioGone.reason}")
    return DamagedAudio(f"{shown_name(path)}: {DamagedAudio.reason}")


def width_of(f) -> tuple:
    """What an open libsndfile file's bytes are read as: channels, rate, format and sample
    type (a 16-bit WAV's bytes read as 24-bit ones are noise too)."""
    return int(f.channels), int(f.samplerate), f.format, f.subtype


def same_width(path: str, muted: bool, was: tuple) -> bool:
    """:class:`AudioChanged` where the file opened again is not of ``was`` (see
    :func:`check_width`): libsndfile's Ogg Vorbis read stops short, without an error, where
    the file was overwritten by one of another width while it played, and the track "ended"
    there, not a word said. One of the same width (cut short) ends there as before (True);
    False: it no longer opens (:meth:`OverwriteWatch.short` tells a copy caught mid-write)."""
    import soundfile as sf

    try:
        with decoder_noise_muted(muted):
            f = sf.SoundFile(os.fsencode(path))
    except (RuntimeError, OSError):
        return False
    with f:
        check_width(f, path, was)
    return True


def check_width(f, path: str, was: tuple | None) -> None:
    """:class:`AudioChanged` where open file ``f`` is not of ``was`` (:func:`width_of`; None:
    not checked): the file was overwritten while it played."""
    if was is not None and width_of(f) != was:
        raise AudioChanged(f"{shown_name(path)}: {AudioChanged.reason}")


class OverwriteWatch:
    """The file libsndfile opened at ``path`` with ``width`` (:func:`width_of`), looked at
    between its blocks: see the module."""

    def __init__(self, path: str, width: tuple, muted: bool) -> None:
        self.path, self.width, self.muted = path, width, muted
        self._seen = self._opened = self._stat()
        self.data_at = _data_at(path)

    def _stat(self) -> tuple | None:
        """The file's identity and what a write changes; None where it cannot be looked at."""
        try:
            st = os.stat(os.fsencode(self.path))
        except OSError:
            return None
        return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns

    def check(self) -> None:
        """:class:`AudioChanged` where the file opened was written to since the last look and
        now has another width, or (a WAV) its audio at another offset. Another file moved over
        it, or one not readable right now (a copy between truncating and writing its header),
        is no change yet: looked at again at the next block (cheap: one ``stat`` a block while
        nothing changes)."""
        now = self._stat()
        if now is None or self._seen is None or now == self._seen:
            return
        if now[:2] != self._seen[:2]:  # another file in its place: the one opened is whole
            return
        if not same_width(self.path, self.muted, self.width):  # not readable now: look again
            return
        data_at = _data_at(self.path)
        if data_at is None and self.data_at is not None:  # its header half written: look again
            return
        if data_at != self.data_at:  # same width, audio elsewhere: read misaligned, noise
            raise AudioChanged(f"{shown_name(self.path)}: {AudioChanged.reason}")
        self._seen = now

    def short(self, opens: bool) -> None:
        """:class:`AudioChanged` where a read came up short of the length the header gave and
        the file opened (the same inode) was written to since it was opened, where it no
        longer ``opens`` (:func:`same_width`'s False: a copy over it truncated it, its new
        header unwritten yet) or it shrank (a copy over it caught after its header, or one of
        a shorter file finished: a WAV, AIFF, RF64 or W64 of any header), its format's length
        exact (an MP3's is a guess; an Ogg's read stops short by itself): the track "ended"
        without a word. Else (a file cut short on disk before it played, or a recorder's
        still growing) it just ends."""
        now, was = self._stat(), self._opened
        if now is None or was is None or now[:2] != was[:2] or now == was:
            return
        shrank = now[2] < was[2] and self.width[2] not in ("MP3", "OGG")
        if not opens or shrank:
            raise AudioChanged(f"{shown_name(self.path)}: {AudioChanged.reason}")


def _data_at(path: str) -> int | None:
    """Where a WAV's audio bytes begin (None: not a WAV, or no ``data`` chunk read)."""
    sizes = wav_sizes(path)
    return sizes.data_at if sizes is not None else None
