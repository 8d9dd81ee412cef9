"""A web page in a download's place is told by the answer's start alone, past a warning in
any 8-bit charset; its Content-Type decides nothing.

A login page after a PHP warning in Latin-1 or cp1251 (a portal on an old server) was "no
gzip file" (OpenL3's weights) or a "corrupted or substituted download" (the MusiCNN wheel),
and running it again fetched the page again. Bytes that are no text (a zip's) before a tag
still make no page. Rules built on the Content-Type header, and one telling an indented tag
with words after it from a page, each called some error a page or some page an error: the
start alone decides as it did before them, so an indented line that opens with a page's tag
is a page, words after it or not, and a fragment without a page's tag is none. Served on
127.0.0.1, without a Content-Type.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from local_http_support import serve
from web_answer_support import answering, weights_refusal, wheel_refusal

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


# name: (body, whether it is a web page)
ANSWERS = {
    "a login page after a Latin-1 warning": (
        "Warnung: Sitzung ungültig, bitte erneut anmelden\n".encode("latin-1") + LOGIN, True),
    "a login page after a cp1251 warning": (
        "Предупреждение: сессия истекла\n".encode("cp1251") + LOGIN, True),
    "a zip's header bytes, then a line opening with <!DOCTYPE html>": (
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(0x80, 0x100)) + b"\n" + LOGIN,
        False),
    "an indented line opening with <html>, words after it": (TEXT_ERROR, True),
    "an indented line opening with <html lang>, words after it": (
        b"upload failed:\n  <html lang='en'> tags are refused here\n", True),
    "an indented page, its tag alone on its line": (b"Notice: restarted\n  <html>\n"
                                                    b"<head><title>x</title></head>", True),
    "a page fragment without a page's tag": (b"<p>Please <a href='/login'>log in</a></p>",
                                             False),
    "a zip": (_zip(), False),
    "a JSON error": (b'{"error": "file not found"}', False),
    "a text error": (b"File not found on this mirror\n", False),
    "a warning, then an indented inline <script> redirect": (
        b"Warning: session_start(): failed\n  <script>location.href='/login'</script>\n", True),
    "a warning, then an indented refresh <meta> with text after it": (
        b'Notice: Undefined index\n  <meta http-equiv="refresh" content="0;url=/login">'
        b"Redirecting...\n", True),
    "an XHTML login page": (XHTML, True),
    "an XML error with a <header> element": (
        b'<?xml version="1.0"?><Error><header>mirror</header><Message>No such key</Message>'
        b"</Error>", False),
}


@pytest.fixture(params=list(ANSWERS))
def answer(request):
    """(whether it is a web page, the base address of a server answering with it)."""
    body, page = ANSWERS[request.param]

    for base in serve(answering(body)):
        yield page, base


def test_the_wheels_answer_is_called_a_web_page_when_it_is_one(tmp_path, monkeypatch, answer):
    page, base = answer
    text = wheel_refusal(tmp_path, monkeypatch, base)
    said = ("the answer is a web page, not the file: a network that wants a login first?"
            if page else "corrupted or substituted download")
    assert f"does not match its known sha256 ({said})" in text, text


def test_the_weights_answer_is_called_a_web_page_when_it_is_one(tmp_path, answer):
    page, base = answer
    text = weights_refusal(tmp_path, base)
    said = "a web page" if page else "no gzip file"
    assert f", the answer is {said}: a network that wants a login first" in text, text
