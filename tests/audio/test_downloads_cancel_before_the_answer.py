"""A weights download stops at once when cancelled before its answer has come.

A server that took the connection and then said nothing (an overloaded mirror, a proxy
waiting on its upstream, a TLS handshake that stalled) held the window's Cancel — and a
SIGTERM — until the request's timeout (30 s), and the stop then ended as "cannot reach …
(timed out)". Served on 127.0.0.1: a socket that accepts and never answers.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from local_http_support import QuietHandler, accepting, serve

from musicsage.audio import download
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights
from musicsage.errors import Cancelled
from musicsage.progress import CancelToken


@pytest.fixture
def silent_server():
    """Accepts connections and never answers, until the test ends."""
    base, stop = accepting()
    yield base
    stop()


def _cancelled_after(seconds: float) -> CancelToken:
    token = CancelToken()
    timer = threading.Timer(seconds, token.cancel)
    timer.daemon = True
    timer.start()
    return token


def test_an_openl3_download_waiting_for_its_answer_stops_at_cancel(tmp_path, silent_server):
    folder = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(Cancelled):
        download_weights(parse_variant(None), folder, base=silent_server, timeout=30.0,
                         cancel=_cancelled_after(0.3))
    assert time.monotonic() - started < 2.0
    assert list(folder.iterdir()) == []


def test_a_musicnn_download_waiting_for_the_index_stops_at_cancel(tmp_path, silent_server):
    folder = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(Cancelled):
        wheel.download_wheel(folder, pypi_url=silent_server, timeout=30.0,
                             cancel=_cancelled_after(0.3))
    assert time.monotonic() - started < 2.0
    assert list(folder.iterdir()) == []


def test_a_request_that_may_be_cancelled_still_says_what_failed(tmp_path):
    """The request's own failure (here an HTTP 404) is said as before, not lost in its thread."""

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = serve(Handler)
    base = next(server)
    try:
        with pytest.raises(DownloadError, match="failed: HTTP 404 Not Found"):
            download_weights(parse_variant(None), tmp_path / "models", base=base,
                             cancel=CancelToken())
    finally:
        server.close()


def test_a_failure_that_comes_after_the_cancel_is_the_cancel(tmp_path, monkeypatch):
    """The server, silent until after the cancel, then drops the connection: the stop was
    said as "cannot reach … (Connection reset by peer)" (the cancel was not yet looked at
    when the failure came; here it is looked at only every 5 s)."""
    monkeypatch.setattr(download, "WAIT_SLICE", 5.0)
    listening = socket.create_server(("127.0.0.1", 0))
    token = _cancelled_after(0.2)

    def dropping() -> None:
        connection = listening.accept()[0]
        while not token.cancelled:
            time.sleep(0.01)
        time.sleep(0.1)
        connection.close()

    threading.Thread(target=dropping, daemon=True).start()
    try:
        with pytest.raises(Cancelled):
            download_weights(parse_variant(None), tmp_path / "models",
                             base=f"http://127.0.0.1:{listening.getsockname()[1]}/",
                             timeout=30.0, cancel=token)
    finally:
        listening.close()
    assert list((tmp_path / "models").iterdir()) == []
