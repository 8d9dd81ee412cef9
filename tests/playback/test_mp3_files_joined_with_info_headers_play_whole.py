"""MP3 files joined end to end by ``cat`` (each written by LAME with its Info header): the
first one's header says where the audio ends, and libsndfile stops there. The scan stored
30 s and the embedder read 30 s, but the player showed 0:10 and stopped there, its last 20 s
never heard. The frames are counted (as the scan counts them), the length shown is theirs,
and FFmpeg plays on where libsndfile stops; a seek anywhere lands where playing through got."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from mp3_support import RATE
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, default_decoder

pytest.importorskip("av")


def joined_with_info_headers(path) -> None:
    """Three 10-s tones (330, 550, 880 Hz), each an MP3 of its own with an Info header."""
    data = b""
    for i, hz in enumerate((330.0, 550.0, 880.0)):
        t = np.arange(10 * RATE) / RATE
        one = path.with_name(f"part{i}.tmp")
        sf.write(one, (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32), RATE,
                 format="MP3", subtype="MPEG_LAYER_III")
        data += one.read_bytes()
        one.unlink()
    path.write_bytes(data)


def loudest_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x[:, 0] * np.hanning(len(x))))
    return float(np.argmax(spectrum) * RATE / len(x))


def test_joined_mp3_files_with_info_headers_play_and_seek_to_the_end(tmp_path):
    path = tmp_path / "mix.mp3"
    joined_with_info_headers(path)
    first = sf.info(str(path)).frames
    assert first <= 10 * RATE + 1152, "libsndfile reads the first file only"
    header, blocks = default_decoder(str(path))
    assert 29.9 * RATE < header.frames < 30.3 * RATE, "the length shown is the three files'"
    through = np.concatenate(list(blocks))
    assert len(through) > 29.9 * RATE, "played to the end of the last file"
    assert abs(loudest_hz(through[-2 * RATE:-RATE]) - 880.0) < 5, "the third file's tone"
    assert abs(loudest_hz(through[15 * RATE:16 * RATE]) - 550.0) < 5
    for start in (first - 10, first, first + RATE, 25 * RATE):  # seeks past libsndfile's end
        seek_header, blocks = default_decoder(str(path), start)
        got = np.concatenate(list(blocks))
        assert seek_header.frames == header.frames, start
        assert len(got) == len(through) - start, start
        assert np.abs(got - through[start:]).max() < 1e-4, start


def test_the_player_shows_and_seeks_into_the_whole_joined_length(tmp_path, quick_worker):
    path = tmp_path / "mix.mp3"
    joined_with_info_headers(path)
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    assert eng.duration_seconds == pytest.approx(30.0, abs=0.3), "not 0:10"
    eng.seek_seconds(25.0)
    assert eng.position_seconds == pytest.approx(25.0, abs=0.01), "not clamped to 0:10"
    wait_for(lambda: eng.decoded_frames - eng.position > RATE)
    heard = cards[0].pull(RATE // 2)
    assert abs(loudest_hz(heard) - 880.0) < 5, "the third file's tone, heard"
    eng.close()


def test_without_pyav_libsndfiles_part_of_a_joined_mp3_plays(tmp_path, monkeypatch):
    """Without FFmpeg to take over, the first file plays to its end as before (no error)."""
    import sys

    from musicsage.audio import mpeg_spans

    path = tmp_path / "mix.mp3"
    joined_with_info_headers(path)
    monkeypatch.setitem(sys.modules, "av", None)  # ``import av`` fails
    mpeg_spans.ffmpeg_reads_mp3.cache_clear()
    try:
        header, blocks = default_decoder(str(path))
        played = sum(map(len, blocks))
    finally:
        mpeg_spans.ffmpeg_reads_mp3.cache_clear()
    assert header.frames == played == sf.info(str(path)).frames


def test_a_mono_mp3_joined_to_a_stereo_one_plays_and_seeks_to_the_end(tmp_path):
    """FFmpeg's frames change from mono to stereo at the join: the player stopped there with
    "Frame does not match AudioResampler setup", and a seek past it raised ValueError."""
    t = np.arange(10 * RATE) / RATE
    y = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    mono, stereo = tmp_path / "mono.tmp", tmp_path / "stereo.tmp"
    sf.write(mono, y, RATE, format="MP3", subtype="MPEG_LAYER_III")
    sf.write(stereo, np.stack([y, 0.5 * y], 1), RATE, format="MP3", subtype="MPEG_LAYER_III")
    path = tmp_path / "mix.mp3"
    path.write_bytes(mono.read_bytes() + stereo.read_bytes())
    header, blocks = default_decoder(str(path))
    assert header.channels == 1 and 19.9 * RATE < header.frames < 20.3 * RATE
    through = np.concatenate(list(blocks))
    assert len(through) > 19.9 * RATE, "played past the join to the end"
    assert abs(loudest_hz(through[-2 * RATE:-RATE]) - 440.0) < 5, "the stereo file, mixed down"
    seek_header, blocks = default_decoder(str(path), 12 * RATE)
    got = np.concatenate(list(blocks))
    assert len(got) == len(through) - 12 * RATE
    assert np.abs(got - through[12 * RATE:]).max() < 1e-4, "what playing through got there"


def test_a_joined_mp3_is_counted_once_however_often_it_is_opened(tmp_path, monkeypatch):
    """The player opens the file again at every seek: each open walked its frames anew (a
    whole read of a one-hour file per seek); a file changed since is counted again."""
    from musicsage.library import mpeg_frames

    path = tmp_path / "mix.mp3"
    joined_with_info_headers(path)
    walks = []
    walked = mpeg_frames._walked
    monkeypatch.setattr(mpeg_frames, "_walked", lambda *a: walks.append(1) or walked(*a))
    for start in (0, 15 * RATE, 25 * RATE):
        header, blocks = default_decoder(str(path), start)
        blocks.close()
        assert 29.9 * RATE < header.frames < 30.3 * RATE
    assert len(walks) == 1, "the frames walked once"
    path.write_bytes(path.read_bytes()[:-20000])  # cut short: another size
    header, blocks = default_decoder(str(path))
    blocks.close()
    assert len(walks) == 2 and header.frames < 29.9 * RATE, "a changed file counted anew"
