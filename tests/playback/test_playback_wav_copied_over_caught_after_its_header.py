"""A WAV, RF64, AIFF or W64 overwritten while it plays (``cp`` over it: the same file, new
bytes) by one of the same width, caught just after the copy wrote its header, its audio
still short of what that header states, or a whole shorter one copied over it: libsndfile's
read came up short and the track "ended" with no word said. It now ends with the file's
"changed on disk" error, as a copy caught before its header does. (A WAV whose header said
more than it held before it was played still ends quietly: see
test_playback_task_file_rewritten_in_place.py.)"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from playback_support import quick_worker  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")

RATE = 8000
SECONDS = 30
CHANGED = ("the file changed on disk while playing; start it again to play it as it is "
           "now")


def _tone(path, sign: float = 1.0, kind: str = "WAV", seconds: int = SECONDS) -> None:
    t = np.arange(seconds * RATE) / RATE
    sf.write(str(path), sign * 0.4 * np.sin(2 * np.pi * 330 * t), RATE, format=kind,
             subtype="PCM_16")


def _copied_over_while_it_plays(path, new: bytes) -> None:
    """``new`` written over the playing ``path`` as ``cp`` does, then played through: the
    file's "changed on disk" error, not a quiet end."""
    eng, cards = playing(path)
    with open(path, "r+b") as fh:  # the same inode: cp truncates, then writes its bytes
        fh.truncate(0)
        fh.write(new)
    assert sf.info(str(path)).channels == 1  # it opens, of the same width
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file"), (eng.state, eng.error)
    assert eng.error.startswith(f"cannot play {path.name} past ")
    assert eng.error.endswith(CHANGED)
    eng.close()


@pytest.mark.parametrize("audio_written", [0, 10 * RATE])  # (the first block read 8.2 s)
@pytest.mark.parametrize("kind, suffix", [("WAV", "wav"), ("RF64", "wav"), ("AIFF", "aiff"),
                                          ("W64", "w64")])
def test_a_copy_caught_after_its_header_is_the_files_error(tmp_path, audio_written, kind,
                                                          suffix):
    path, other = tmp_path / f"song.{suffix}", tmp_path / f"other.{suffix}"
    _tone(path, kind=kind)
    _tone(other, -1.0, kind=kind)
    new = other.read_bytes()
    header = len(new) - 2 * SECONDS * RATE  # its bytes before the audio
    _copied_over_while_it_plays(path, new[:header + 2 * audio_written])


def test_a_shorter_wav_copied_over_whole_is_the_files_error(tmp_path):
    path, other = tmp_path / "song.wav", tmp_path / "other.wav"
    _tone(path)
    _tone(other, -1.0, seconds=12)
    _copied_over_while_it_plays(path, other.read_bytes())
