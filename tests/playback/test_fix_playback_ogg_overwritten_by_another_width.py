"""An Ogg Vorbis track overwritten while it plays by one of another channel count or rate
(``cp`` over it): libsndfile's read stopped short of the old file's length, without an error,
and the track "ended" there (0:12 of a minute), not a word said. Where the read stops short,
the file is opened again: of another width, it is the file's error, said as a FLAC's is."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile as sf
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from playback_support import quick_worker  # noqa: F401 - fixtures
from test_playback_file_overwritten_by_another_width import CHANGED, RATE, sine

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")


@pytest.mark.parametrize("channels, rate", [(2, RATE), (1, 2 * RATE)])
def test_an_ogg_copied_over_by_one_of_another_width_is_the_files_error(tmp_path, channels,
                                                                       rate):
    path, other = tmp_path / "song.ogg", tmp_path / "other.ogg"
    sf.write(path, sine(60), RATE, format="OGG", subtype="VORBIS")
    y = sine(60, rate)
    sf.write(other, np.stack([y, -y], 1) if channels == 2 else y, rate, format="OGG",
             subtype="VORBIS")
    eng, cards = playing(path)
    shutil.copyfile(other, path)
    played_through(eng, cards[0])
    assert eng.state == "error" and eng.error_kind == "file", (eng.state, eng.error)
    assert eng.error.startswith("cannot play song.ogg past ") and eng.error.endswith(CHANGED)
    eng.close()


def test_an_ogg_cut_short_still_just_ends(tmp_path):
    path = tmp_path / "song.ogg"
    sf.write(path, sine(60), RATE, format="OGG", subtype="VORBIS")
    eng, cards = playing(path)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 3] + data[-8192:])  # pages lost, its end kept
    played_through(eng, cards[0])
    assert eng.state == "ended", (eng.state, eng.error)
    eng.close()
