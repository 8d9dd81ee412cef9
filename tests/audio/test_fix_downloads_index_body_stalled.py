"""The MusiCNN index's answer read minding Cancel, and only up to a size.

A server that sent the JSON's status line and headers, then nothing (a proxy waiting on its
upstream, a link that stalled), held the window's Cancel until the timeout (30 s); the stop
was then said as "could not download the MusiCNN checkpoints from PyPI (timed out)", and
remembered so for 5 minutes: every track tried meanwhile said it, Cancel or not. An answer
without end was read whole into memory. Served on 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time
import types

import pytest
from local_http_support import accepting

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel
from musicsage.errors import Cancelled
from musicsage.progress import CancelToken

STALL_TIMEOUT = 5.0
"""The download's timeout here (30 s in the app): what a cancel left unseen waited for."""


def _headers_then_nothing(connection: socket.socket) -> None:
    try:
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 500\r\n\r\n")
    except OSError:
        pass


@pytest.fixture
def stalled():
    base, stop = accepting(_headers_then_nothing)
    yield base
    stop()


def _cancelled_after(seconds: float) -> CancelToken:
    token = CancelToken()
    timer = threading.Timer(seconds, token.cancel)
    timer.daemon = True
    timer.start()
    return token


def test_cancel_while_the_index_body_stalls_acts_at_once(tmp_path, stalled):
    folder = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(Cancelled):
        wheel.download_wheel(folder, pypi_url=stalled, timeout=STALL_TIMEOUT,
                             cancel=_cancelled_after(0.3))
    assert time.monotonic() - started < 2.0
    assert list(folder.iterdir()) == []


def test_a_cancelled_download_is_not_remembered_as_failed(tmp_path, stalled):
    """The next try asks the index again (here cancelled too), not answered from memory."""
    ctx = types.SimpleNamespace(model_dirs=[tmp_path / "models"], not_written_models_dir=None)
    for _ in range(2):
        with pytest.raises(Cancelled):
            wheel.ensure_wheel(ctx, pypi_url=stalled, cancel=_cancelled_after(0.3))


def test_an_index_answer_without_end_is_stopped(tmp_path):
    """No length announced, 64 MB of blanks sent: stopped past 8 MB, said in one line."""
    def endless(connection: socket.socket) -> None:
        try:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n")
            for _ in range(1024):
                connection.sendall(b" " * (1 << 16))
            connection.close()
        except OSError:  # the client stopped reading
            pass

    base, stop = accepting(endless)
    try:
        with pytest.raises(MissingWeights) as caught:
            wheel.download_wheel(tmp_path / "models", pypi_url=base, timeout=STALL_TIMEOUT)
    finally:
        stop()
    text = str(caught.value)
    assert f"(the answer from {base}musicnn/0.1.0/json is over 8 MB" in text, text
    assert "\n" not in text


def test_a_failure_of_the_index_that_comes_with_the_cancel_is_the_cancel(tmp_path,
                                                                          monkeypatch):
    """Asked for as the request failed (its failure seen first): the stop, not a failed
    download remembered for 5 minutes."""
    token = CancelToken()

    def failing_as_cancelled(_url, _timeout, _cancel=None):
        token.cancel()
        raise TimeoutError("timed out")

    monkeypatch.setattr(wheel, "_fetch_json", failing_as_cancelled)
    ctx = types.SimpleNamespace(model_dirs=[tmp_path / "models"], not_written_models_dir=None)
    with pytest.raises(Cancelled):
        wheel.ensure_wheel(ctx, pypi_url="http://127.0.0.1:9/", cancel=token)
    assert not [key for key in wheel._failed_downloads if key[0] == str(tmp_path / "models")]
