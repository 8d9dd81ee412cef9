"""A named pipe where a track's file was (a tool's output left in its place) is refused in
one line: libsndfile's open of it waited for a writer for ever, the track "loading" with no
end and the player's worker stuck."""

from __future__ import annotations

import os
import threading

import pytest

from musicsage.errors import MusicsageError
from musicsage.playback.decoders import default_decoder


def test_playing_a_named_pipe_says_it_is_not_a_file_without_waiting(tmp_path):
    pipe = tmp_path / "song.flac"
    os.mkfifo(pipe)
    outcome: list[BaseException | object] = []

    def play() -> None:
        try:
            outcome.append(default_decoder(str(pipe)))
        except BaseException as exc:  # what the player's worker would meet
            outcome.append(exc)

    worker = threading.Thread(target=play, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # stuck opening the pipe: a writer lets it go
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
        pytest.fail("opening a named pipe to play it waited for a writer")
    assert len(outcome) == 1 and isinstance(outcome[0], MusicsageError), outcome
    assert str(outcome[0]) == f"not a file: {pipe}"
