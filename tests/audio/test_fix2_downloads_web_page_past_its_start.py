"""A web page served in a download's place is told past any run of blanks, and only a page is.

A login page after more than 512 blank bytes (a portal's template leaves hundreds of blank
lines first) or a long comment, or one that is only a ``<meta http-equiv="refresh">`` or a
``<script>`` redirect, was "no gzip file" (OpenL3's weights) or "corrupted or substituted
download" (the MusiCNN wheel); while a mirror's XML error with a ``<header>`` element, or a
JSON error quoting ``<html>``, was "a web page … a network that wants a login first?", sending
the user to a login that is not there. Served on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from local_http_support import serve
from web_answer_support import answering, weights_refusal, wheel_refusal

LOGIN = b"<!DOCTYPE html><html><head><title>Hotel wifi</title></head><body>Log in</body></html>"
PAGES = {
    "after 600 blank bytes": b"\r\n" * 300 + LOGIN,
    "after 40 KB of blank lines": b"  \n" * 13_000 + LOGIN,
    "after a 700-byte comment": b"<!-- " + b"x" * 700 + b" -->" + LOGIN,
    "only a meta refresh": b"<meta http-equiv='refresh' content='0;url=http://login/'>",
    "only a script redirect": b"<script>window.location='http://login/'</script>",
    "after two UTF-8 BOMs (PHP includes)": b"\xef\xbb\xbf\xef\xbb\xbf" + LOGIN,
    "after a PHP warning": b"Warning: session_start(): headers already sent\n" + LOGIN,
    "a charset meta, then the refresh": b"<meta charset='utf-8'>\n"
                                        b"<meta http-equiv='refresh' content='0;url=/login'>",
    "a title, then the refresh": b"<title>Redirect</title><meta http-equiv=\"refresh\" "
                                 b"content=\"0;url=/login\">",
    "a charset meta, then a script redirect": b"<meta charset='utf-8'>\n"
                                              b"<script>location='/login'</script>",
    "after four PHP warnings in HTML": b"<br />\n<b>Warning</b>: session_start(): headers "
                                        b"already sent by output started at /var/www/html/"
                                        b"portal/includes/session_handler.php:1 " * 4
                                        + b"\n" + LOGIN,
    "after a warning in German": "Warnung: Sitzung abgelaufen – bitte erneut anmelden\n"
                                 .encode() + LOGIN,
    "after a notice, indented": b"Notice: session restarted\n  " + LOGIN,
}
NOT_PAGES = {
    "XML with a <header> element": b"<?xml version='1.0'?><feed><header>mirror busy</header>"
                                   b"</feed>",
    "a JSON error quoting <html>": b'{"error": "expected <html> body, got none"}',
    "a text error, its indented line quoting <header>": b"Error: upload rejected\n  <header> "
                                                        b"is not allowed in a field\n",
    "a text error quoting <html>": b"error: expected an <html> body, got none\n",
}


@pytest.fixture(params=[*PAGES, *NOT_PAGES])
def answer(request):
    """(whether it is a web page, the base address of a server answering with it)."""
    body = PAGES.get(request.param, NOT_PAGES.get(request.param))
    for base in serve(answering(body)):
        yield request.param in PAGES, base


def test_the_wheels_answer_is_called_a_web_page_when_it_is_one(tmp_path, monkeypatch, answer):
    page, base = answer
    text = wheel_refusal(tmp_path, monkeypatch, base)
    said = ("the answer is a web page, not the file: a network that wants a login first?"
            if page else "(corrupted or substituted download)")
    assert f"does not match its known sha256 {'(' if page else ''}{said}" in text, text


def test_the_weights_answer_is_called_a_web_page_when_it_is_one(tmp_path, answer):
    page, base = answer
    text = weights_refusal(tmp_path, base)
    said = "a web page" if page else "no gzip file"
    assert f", the answer is {said}: a network that wants a login first" in text, text
