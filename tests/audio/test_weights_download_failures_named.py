"""Weight downloads that fail on a flaky or locked-down network say what failed, in one line.

Against a local server on 127.0.0.1: a redirect loop (its reason is three lines), a wheel
download cut short (it was blamed on a "corrupted or substituted download"), a login page
where PyPI's JSON should be ("Expecting value: line 1 column 1 (char 0)"), and a proxy in the
environment that does not answer (the server was blamed for what the proxy refused).
"""

from __future__ import annotations

import hashlib
import io
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from local_http_support import QuietHandler, start

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights


def _zip_bytes() -> bytes:
    """A small zip (what a wheel is), stored, over 1000 bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("musicnn/data.bin", bytes(range(256)) * 40)
    return buffer.getvalue()


WHEEL_BYTES = _zip_bytes()


@pytest.fixture
def server():
    """Base URL of a server: ``/loop/…`` redirects to itself, ``/cut/…`` announces more bytes
    than it sends, ``/portal/…`` answers a login page with status 200, ``/pingpong/0/…`` and
    ``/pingpong/1/…`` redirect to each other, ``/squared/…`` sends ``Content-Length: ²``."""

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            kind = self.path.split("/")[1]
            if kind in ("loop", "chain", "pingpong"):  # chain: /chain/N/… to /chain/N+1/…
                step = int(self.path.split("/")[2]) + 1 if kind != "loop" else 0
                self.send_response(302)
                self.send_header("Location", self.path if kind == "loop" else "/%s/%d/%s" % (
                    kind, step % 2 if kind == "pingpong" else step, self.path.split("/", 3)[3]))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<html>Please log in to use the wifi</html>" if kind == "portal" \
                else WHEEL_BYTES
            self.send_response(200)
            size = str(len(WHEEL_BYTES) if kind == "cut" else len(body))
            # twice: a proxy joined a header sent twice into one value
            self.send_header("Content-Length", f"{size}, {size}" if kind == "twice" else
                             "\u00b2" if kind == "squared" else size)
            self.end_headers()
            self.wfile.write(body[:1000] if kind == "cut" else body)
            self.wfile.flush()
            if kind == "cut":
                self.connection.shutdown(socket.SHUT_RDWR)

    with start(Handler) as running:
        yield running.base


def _wheel_at(monkeypatch, url: str) -> None:
    """The index names the wheel at ``url`` (the JSON itself is served fine)."""
    monkeypatch.setattr(W, "_fetch_json", lambda _url, _timeout, _cancel=None: {
        "urls": [{"filename": W.WHEEL_NAME, "url": url, "digests": {}}]})


@pytest.mark.parametrize("start", ["loop/", "chain/0/", "pingpong/0/"])
def test_redirects_without_end_are_one_line(server, tmp_path, monkeypatch, start):
    """To itself, through more than 10 distinct addresses, A→B→A: urllib's reason is three
    lines; the last answer alone cannot tell a loop from a long chain (A→B→A was called "too
    many times"), so all are said in the same words."""
    with pytest.raises(MissingWeights) as openl3:
        download_weights(parse_variant(None), tmp_path / "o", base=f"{server}/{start}")
    _wheel_at(monkeypatch, f"{server}/{start}{W.WHEEL_NAME}")
    with pytest.raises(MissingWeights) as musicnn:
        W.download_wheel(tmp_path / "m", pypi_url=server)
    for caught in (openl3, musicnn):
        text = str(caught.value)
        assert "\n" not in text, text
        assert "HTTP 302: the server redirects in a loop or too many times" in text, text
    assert list((tmp_path / "o").iterdir()) == []
    assert not (tmp_path / "m" / W.WHEEL_NAME).exists()


def test_a_content_length_of_a_digit_that_is_no_number_is_ignored(server, tmp_path,
                                                                   monkeypatch):
    """``Content-Length: ²``: ``"²".isdigit()`` is True, and ``int("²")`` ended the OpenL3
    download in "unexpected error …; this is a bug"."""
    with pytest.raises(DownloadError, match="does not verify"):  # copied whole, then checked
        download_weights(parse_variant(None), tmp_path / "o", base=f"{server}/squared/")
    _wheel_at(monkeypatch, f"{server}/squared/{W.WHEEL_NAME}")
    got = W.download_wheel(tmp_path / "m", pypi_url=server,
                           sha256=hashlib.sha256(WHEEL_BYTES).hexdigest())
    assert got.read_bytes() == WHEEL_BYTES


def test_both_downloads_cut_short_say_it_in_the_same_words(server, tmp_path, monkeypatch):
    with pytest.raises(MissingWeights) as openl3:
        download_weights(parse_variant(None), tmp_path / "o", base=f"{server}/cut/")
    _wheel_at(monkeypatch, f"{server}/cut/{W.WHEEL_NAME}")
    with pytest.raises(MissingWeights) as musicnn:
        W.download_wheel(tmp_path / "m", pypi_url=server)
    for caught in (openl3, musicnn):
        assert f"was cut short (1000 of {len(WHEEL_BYTES)} bytes)" in str(caught.value)


def test_a_content_length_sent_twice_is_read_as_one(server, tmp_path, monkeypatch):
    """``Content-Length: 10242, 10242`` failed the wheel's download ("invalid literal for
    int()")."""
    sha = hashlib.sha256(WHEEL_BYTES).hexdigest()
    _wheel_at(monkeypatch, f"{server}/twice/{W.WHEEL_NAME}")
    seen = []
    got = W.download_wheel(tmp_path, pypi_url=server, sha256=sha, progress=seen.append)
    assert got.read_bytes() == WHEEL_BYTES
    assert seen[-1].done == seen[-1].total == len(WHEEL_BYTES)


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
base = sys.argv[2] if len(sys.argv) > 2 else None
for fetch in (lambda: download_weights(parse_variant(None), out / "o", timeout=5, base=base),
              lambda: wheel.download_wheel(out / "m", timeout=5, pypi_url=base)):
    try:
        fetch()
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def _downloads_with(env: dict, tmp_path: Path, *args: str) -> list[str]:
    """The lines of :data:`PROXIED` run in a child with ``env`` (urllib reads the proxy
    settings once per process: a child process gets its own)."""
    done = subprocess.run([sys.executable, "-c", PROXIED, str(tmp_path), *args],
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
                          capture_output=True, text=True, timeout=120,
                          cwd=str(Path(__file__).parents[2]))
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout + done.stderr
    return lines


@pytest.mark.parametrize("scheme", ["http://", ""])
@pytest.mark.parametrize("user", ["", "alice:s3cret@"])
def test_a_proxy_that_does_not_answer_is_named_with_its_variable(tmp_path, scheme, user):
    """Named without its user name and password, which the line would show to anyone
    looking over the user's shoulder (or in a bug report)."""
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]  # bound, never listening: connections are refused
    try:
        lines = _downloads_with({"https_proxy": f"{scheme}{user}127.0.0.1:{port}",
                                 "no_proxy": ""}, tmp_path)
    finally:
        dead.close()
    for line in lines:
        assert line.startswith("MissingWeights ")
        assert f"through the proxy {scheme}127.0.0.1:{port} set in $https_proxy" in line, line
        assert "s3cret" not in line and "alice" not in line, line
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
    assert text.count("mirror.local/openl3") == 1, text  # the URL said once
    assert list(tmp_path.iterdir()) == []


def test_a_host_in_no_proxy_with_its_port_is_not_blamed_on_the_proxy(tmp_path):
    """``no_proxy=127.0.0.1:PORT``: urllib goes straight to the host (it compares host and
    port), so a refusal is the host's; the line blamed the proxy."""
    dead_proxy, dead_host = socket.socket(), socket.socket()
    dead_proxy.bind(("127.0.0.1", 0))
    dead_host.bind(("127.0.0.1", 0))
    proxy, port = dead_proxy.getsockname()[1], dead_host.getsockname()[1]
    try:
        lines = _downloads_with({"http_proxy": f"http://127.0.0.1:{proxy}",
                                 "no_proxy": f"127.0.0.1:{port}"}, tmp_path,
                                f"http://127.0.0.1:{port}/")
    finally:
        dead_proxy.close()
        dead_host.close()
    for line in lines:
        assert line.startswith("MissingWeights ") and "refused" in line, line
        assert "through the proxy" not in line, line


def test_a_pypi_mirror_without_http_is_one_line_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSICSAGE_PYPI_URL", "mirror.local/pypi")
    with pytest.raises(MissingWeights) as caught:
        W.download_wheel(tmp_path)
    text = str(caught.value)
    assert "$MUSICSAGE_PYPI_URL must be an http:// or https:// address" in text, text
    assert "unknown url type" not in text and text.count("mirror.local/pypi") == 1, text
    assert not (tmp_path / W.WHEEL_NAME).exists()
