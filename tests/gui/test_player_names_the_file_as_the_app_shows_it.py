"""The player bar's tooltip names the playing file as the rest of the window shows a path: it
showed the OS path, which where the filesystem encoding is not UTF-8 (a Latin-1 locale,
``PYTHONUTF8=0 LC_ALL=C``) holds an ``é`` as two lone surrogates, and a byte that is not
UTF-8 as one; Qt drew neither as the name."""

from __future__ import annotations

from itertools import repeat

import numpy as np

from musicsage.gui.player import PlayerBar
from musicsage.playback import Header, PlaybackEngine


def _tooltip_playing(qtbot, fake_streams, fs_path: str) -> str:
    def decoder(path, start=0):
        return Header(8000, 1, 8000 * 60), repeat(np.full((8000, 1), 0.1, np.float32))

    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.engine = PlaybackEngine(stream_factory=fake_streams, decoder=decoder)
    bar.play_track(1, fs_path, "Night")
    tip = bar.title_label.toolTip()
    bar.shutdown()
    return tip


def test_an_accented_name_read_in_a_non_utf8_session_is_shown_as_its_text(
        qtbot, tmp_path, fake_streams):
    """``Café`` as an ASCII session's OS path holds it: the bytes ``\\xc3\\xa9`` escaped."""
    tip = _tooltip_playing(qtbot, fake_streams, f"{tmp_path}/Caf\udcc3\udca9.wav")
    assert tip == f"Night\n{tmp_path}/Café.wav"


def test_a_byte_that_is_not_utf8_is_shown_as_a_replacement_character(
        qtbot, tmp_path, fake_streams):
    tip = _tooltip_playing(qtbot, fake_streams, f"{tmp_path}/caf\udce9.wav")
    assert tip == f"Night\n{tmp_path}/caf\ufffd.wav"
