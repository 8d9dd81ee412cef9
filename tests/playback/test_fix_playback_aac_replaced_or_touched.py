"""A file whose header's length was an estimate a little past its audio (a raw ADTS .aac, before
its frames were counted: the decoder stopped "short" of it on every play) was said to have "changed on disk while playing"
when, as it played, a new file was moved over it (a tagger's temporary file renamed, rsync) or
it was only touched: a track that played whole ended in an error, and the queue said so. The
decoder read the file it opened, whole. The rule was taken out: a tag appended into the same
file (its size changed) ended the same way, so no file is watched while it plays."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from changed_file_support import playing, played_through, small_buffer  # noqa: F401
from playback_support import quick_worker  # noqa: F401 - a fixture

from musicsage.playback.decoders import default_decoder

av = pytest.importorskip("av")

RATE = 44100
SECONDS = 10

pytestmark = pytest.mark.usefixtures("quick_worker")


def adts(path) -> None:
    """A raw ADTS AAC file (no container: its length is guessed from its size)."""
    out = av.open(str(path), "w", format="adts")
    stream = out.add_stream("aac", rate=RATE)
    stream.layout = "stereo"
    t = np.arange(RATE * SECONDS) / RATE
    y = (0.3 * np.sin(2 * np.pi * 440 * t * (1 + t))).astype(np.float32)
    y += (np.random.default_rng(0).standard_normal(len(y)) * 0.1 * (t % 2 > 1)).astype(
        np.float32)
    both, step = np.stack([y, y]), 1024  # an AAC frame
    for i in range(0, len(y), step):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(both[:, i:i + step]),
                                           format=stream.codec_context.format.name,
                                           layout="stereo")
        frame.sample_rate, frame.pts = RATE, i
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()


@pytest.fixture
def song(tmp_path):
    path = tmp_path / "song.aac"
    adts(path)
    header, blocks = default_decoder(str(path))
    decoded = sum(len(b) for b in blocks)
    assert header.frames == decoded, "its frames counted: the length shown is its audio's"
    return path


def test_a_new_file_moved_over_it_while_it_plays_plays_to_its_end(song, small_buffer):
    eng, cards = playing(song)
    shutil.copyfile(song, song.parent / "new.aac")  # a tagger's temporary file, renamed
    os.replace(song.parent / "new.aac", song)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")


def test_a_file_touched_while_it_plays_plays_to_its_end(song, small_buffer):
    eng, cards = playing(song)
    os.utime(song, ns=(1, 1))  # its time alone: a touch, tags edited within their padding
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")


ID3V1 = (b"TAG" + b"New title".ljust(30, b"\0") + b"Artist".ljust(30, b"\0") + b"\0" * 30
         + b"2026" + b"\0" * 30 + b"\xff")
"""An ID3v1 tag (128 bytes), as a tagger appends it to a raw AAC, into the same file."""


def test_a_tag_appended_in_place_while_it_plays_plays_to_its_end(song, small_buffer):
    """The same file, longer by a tag at its end: the audio played is whole and unchanged."""
    ino = os.stat(song).st_ino
    eng, cards = playing(song)
    with open(song, "ab") as f:
        f.write(ID3V1)
    assert os.stat(song).st_ino == ino
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
