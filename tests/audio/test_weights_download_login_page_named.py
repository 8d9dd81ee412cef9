"""An OpenL3 weights download answered by a web page with status 200 (a hotel's or a company
proxy's login page) says that the answer is a web page, not only that it "does not verify":
read as a damaged download, it was run again, only to fetch the page again."""

from __future__ import annotations

import gzip

import pytest

from local_http_support import QuietHandler, serve
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights

PAGE = b"<!DOCTYPE html>\n<html><body>Please log in to use the Wi-Fi</body></html>\n"


@pytest.fixture
def server():
    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            body = PAGE if self.path.startswith("/portal/") else gzip.compress(b"not h5")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    yield from serve(Handler)


def test_a_login_page_is_said_to_be_a_web_page(server, tmp_path):
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), tmp_path / "models", base=f"{server}portal/")
    text = str(caught.value)
    assert "does not verify" in text and "\n" not in text
    assert "the answer is a web page: a network that wants a login first" in text, text
    assert list((tmp_path / "models").iterdir()) == []


def test_a_wrong_gzip_file_is_only_said_not_to_verify(server, tmp_path):
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), tmp_path / "models", base=f"{server}other/")
    assert "does not verify" in str(caught.value) and "login" not in str(caught.value)
