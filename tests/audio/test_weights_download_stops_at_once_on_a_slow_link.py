"""A weights download on a slow link stops as soon as it is cancelled, and shows its progress.

Each chunk was read as 64 KiB whole: at 1 KB/s (a hotel's network) Ctrl-C, a SIGTERM or the
window's Cancel waited a minute before the download saw it, and the progress bar stood still
as long. What has come is taken as it comes, and a link that stalls is waited on in
slices that look at the cancel. Served on 127.0.0.1: a trickle of 200 bytes every 0.05 s that
ends after a few seconds (so that a read waiting for a full chunk ends too), and a link that
stalls.
"""

from __future__ import annotations

import threading
import time

import pytest
from local_http_support import QuietHandler, serve

from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights
from musicsage.errors import Cancelled
from musicsage.progress import CancelToken

TRICKLE_SECONDS = 4.0


@pytest.fixture
def slow_server():

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Length", str(5_000_000))
            self.end_headers()
            try:
                end = time.monotonic() + TRICKLE_SECONDS
                while time.monotonic() < end:
                    self.wfile.write(b"\x1f\x8b" + bytes(198))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:  # the client stopped reading
                pass

    yield from serve(Handler)


def _cancelled_after(seconds: float) -> CancelToken:
    token = CancelToken()
    timer = threading.Timer(seconds, token.cancel)
    timer.daemon = True
    timer.start()
    return token


def test_a_slow_openl3_download_stops_soon_after_cancel(tmp_path, slow_server):
    folder = tmp_path / "models"
    seen: list[int] = []
    started = time.monotonic()
    with pytest.raises(Cancelled):
        download_weights(parse_variant(None), folder, base=slow_server,
                         cancel=_cancelled_after(0.5), progress=lambda p: seen.append(p.done))
    assert time.monotonic() - started < TRICKLE_SECONDS - 1.5
    assert any(0 < done < 65536 for done in seen)  # the bar moved before a full chunk came
    assert list(folder.iterdir()) == []  # nothing half-downloaded is kept


def test_a_slow_musicnn_download_stops_soon_after_cancel(tmp_path, slow_server, monkeypatch):
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": slow_server + wheel.WHEEL_NAME,
         "digests": {}}]})
    started = time.monotonic()
    with pytest.raises(Cancelled):
        wheel.download_wheel(tmp_path / "m", pypi_url=slow_server,
                             cancel=_cancelled_after(0.5))
    assert time.monotonic() - started < TRICKLE_SECONDS - 1.5


@pytest.fixture
def stalled_server():
    """Sends the headers and two bytes, then nothing more, holding the connection open (the
    link stalled) until the test ends."""
    released = threading.Event()

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Length", str(5_000_000))
            self.end_headers()
            self.wfile.write(b"\x1f\x8b")
            self.wfile.flush()
            released.wait(60)

    yield from serve(Handler)
    released.set()


def test_a_cancel_during_a_stalled_read_stops_at_once(tmp_path, stalled_server):
    """The window's Cancel on a link that stalled waited for the read's timeout (30 s, the
    default here), then ended as "download … was interrupted (timed out)": the read blocked
    until then, and the stop the user asked for went unsaid."""
    folder = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(Cancelled):
        download_weights(parse_variant(None), folder, base=stalled_server,
                         cancel=_cancelled_after(0.3))
    assert time.monotonic() - started < 2.0
    assert list(folder.iterdir()) == []


def test_a_stalled_link_still_times_out(tmp_path, stalled_server):
    """Waiting for bytes in slices (to see a cancel) keeps the read's timeout: a link that
    stalled ends the download after it, saying so, and no sooner."""
    folder = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"was interrupted \(timed out\)"):
        download_weights(parse_variant(None), folder, base=stalled_server, timeout=1.0,
                         cancel=CancelToken())
    assert 0.9 < time.monotonic() - started < 3.0
    assert list(folder.iterdir()) == []
