"""A WAV whose ``data`` chunk states less audio than follows it (:mod:`~musicsage.library.wav_tail`:
a recorder killed before it last fixed its header), played whole: libsndfile reads the chunk as
stated, so the player stopped at the header's 4 s of a 10 s take that the scan stores and
``embed`` analyses whole, its seek bar and length shown disagreeing with what played.

libsndfile is given a view of the file (:class:`WholeView`) whose RIFF and ``data`` sizes say
what the file holds, its other bytes as they are: the file is read by the same reader as every
WAV, its seeks exact, and a file overwritten while it plays is caught as any WAV's is
(:class:`~musicsage.playback.read_stops.OverwriteWatch`). Reading it through FFmpeg
(``ignore_length``) was tried and taken out: an overwrite played noise, and a codec FFmpeg
cannot read played nothing. Only the clear case :func:`.wav_tail.unstated_tail_seconds` takes
is read so (no chunk or tag after the stated end); a file of 4 GiB or more keeps its stated
length (its sizes cannot say more: :func:`~musicsage.library.wav_tail.stated_whole`, and the
scan's note says so).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from musicsage.decoder_noise import decoder_noise_muted
from musicsage.library.wav_sizes import wav_sizes
from musicsage.library.wav_tail import stated_whole, unstated_tail_seconds

WAV_FORMATS = ("WAV", "WAVEX")
"""libsndfile's formats of a RIFF/WAVE file."""


class WholeView:
    """The open file ``fh`` as libsndfile reads it, with the 4 bytes at each offset of
    ``patched`` replaced by that value (little-endian): a header's sizes, nothing else."""

    def __init__(self, fh, patched: dict[int, int]) -> None:
        self._fh = fh
        self._patches = {at: value.to_bytes(4, "little") for at, value in patched.items()}

    def read(self, n: int = -1) -> bytes:
        at = self._fh.tell()
        data = self._fh.read(n)
        for where, value in self._patches.items():
            lo, hi = max(at, where), min(at + len(data), where + 4)
            if lo < hi:  # the read covers (part of) a patched size
                data = data[:lo - at] + value[lo - where:hi - where] + data[hi - at:]
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._fh.close()


def whole_sizes(path: str) -> dict[int, int] | None:
    """The header's sizes (offset → value) that make the WAV at ``path`` state all the audio
    it holds; None where it states it already, or is no such WAV (see the module)."""
    if not unstated_tail_seconds(path):
        return None
    sizes = wav_sizes(path)
    if sizes is None or sizes.data_at is None:  # changed between the two looks
        return None
    data = sizes.file_size - sizes.data_at
    if not stated_whole(sizes.file_size):  # 4 GiB or more: the sizes cannot say it
        return None
    return {4: sizes.file_size - 8, sizes.data_at - 4: data}


def reopened_whole(f: Any, path: str, muted: bool) -> Any:
    """libsndfile's handle ``f`` on ``path``, or, where it is a WAV that states less audio than
    it holds, a handle on its :class:`WholeView` in its place (``f`` closed)."""
    if f.format not in WAV_FORMATS:
        return f
    patched = whole_sizes(path)
    if patched is None:
        return f
    try:
        fh = open(os.fsencode(path), "rb")
    except OSError:
        return f
    try:
        with decoder_noise_muted(muted):
            whole = _view_sound_file()(WholeView(fh, patched))
    except Exception:
        fh.close()
        return f  # unread so: the stated length stands, as before
    if (whole.channels, whole.samplerate, whole.subtype) != (f.channels, f.samplerate,
                                                             f.subtype):
        whole.close()  # (rewritten between the two opens) the stated one stands
        return f
    f.close()
    return whole


@lru_cache(maxsize=1)
def _view_sound_file() -> type:
    """:class:`soundfile.SoundFile` that closes the view it reads when it is closed (libsndfile
    leaves a file object it was given open)."""
    import soundfile as sf

    class ViewSoundFile(sf.SoundFile):
        def __init__(self, view: WholeView) -> None:
            self._view = view
            super().__init__(view)

        def close(self) -> None:
            super().close()
            self._view.close()

    return ViewSoundFile

