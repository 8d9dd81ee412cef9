"""A cancel followed, within the same wait, by the server's clean close is the cancel.

The window's Cancel (or Ctrl-C) while the body stalled, then a close (FIN) from the server
(a proxy giving up) before the cancel was looked at, ended as "the download of … was cut
short (10 of 1000 bytes)" — or, with no Content-Length, as a download that "does not match"
/ "does not verify" — and the wheel's failed try was remembered: the next one within 5
minutes was refused without trying. Served on 127.0.0.1; the cancel is looked at only every
5 s, and the cancel comes only once the client
waits, so that the close always comes first, on any machine.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from musicsage.audio import download
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights
from musicsage.errors import Cancelled
from musicsage.progress import CancelToken

HEADERS = {"with a Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
           "without one": b"HTTP/1.0 200 OK\r\n\r\n"}


@pytest.fixture(params=list(HEADERS))
def closing_after_the_cancel(request, monkeypatch):
    """(the cancel token, the base address of a server that sends 10 bytes of the body, waits
    for the cancel, then closes cleanly)."""
    monkeypatch.setattr(download, "WAIT_SLICE", 5.0)
    listening = socket.create_server(("127.0.0.1", 0))
    token = CancelToken()
    waiting = threading.Event()  # the client found nothing to read: it is about to wait
    has_data = download._has_data

    def looked(*args, **kwargs) -> bool:
        found = has_data(*args, **kwargs)
        if not found:
            waiting.set()
        return found

    monkeypatch.setattr(download, "_has_data", looked)

    def answering() -> None:
        connection = listening.accept()[0]
        connection.recv(65536)
        connection.sendall(HEADERS[request.param] + b"\x1f\x8b" + b"x" * 8)
        waiting.wait(20)  # cancelled only once the client waits, however slow the machine
        token.cancel()
        time.sleep(0.1)
        connection.shutdown(socket.SHUT_WR)
        time.sleep(1)
        connection.close()

    threading.Thread(target=answering, daemon=True).start()
    yield token, f"http://127.0.0.1:{listening.getsockname()[1]}/"
    listening.close()


def test_the_weights_download_stops_as_cancelled(tmp_path, closing_after_the_cancel):
    token, base = closing_after_the_cancel
    started = time.monotonic()
    with pytest.raises(Cancelled):
        download_weights(parse_variant(None), tmp_path / "models", base=base, timeout=30.0,
                         cancel=token)
    assert time.monotonic() - started < 3.0
    assert list((tmp_path / "models").iterdir()) == []


def test_the_wheel_download_stops_as_cancelled_and_is_not_remembered(
        tmp_path, monkeypatch, closing_after_the_cancel):
    token, base = closing_after_the_cancel
    monkeypatch.setattr(wheel, "_failed_downloads", {})
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": base + wheel.WHEEL_NAME, "digests": {}}]})
    ctx = type("Ctx", (), {"model_dirs": [tmp_path / "models"], "not_written_models_dir": None})
    with pytest.raises(Cancelled):
        wheel.ensure_wheel(ctx(), pypi_url=base, cancel=token)
    assert wheel._failed_downloads == {}
    assert list((tmp_path / "models").iterdir()) == []
