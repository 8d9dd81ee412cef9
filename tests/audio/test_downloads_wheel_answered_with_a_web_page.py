"""A MusiCNN wheel download answered with a web page (status 200) says so.

A wifi's login page or a proxy's refusal served in the wheel's place was called "does not
match its known sha256 (corrupted or substituted download)": an attack, or a damaged
transfer, to the user, and running it again only fetched the page again. Served on
127.0.0.1; the index's answer is given by the test.
"""

from __future__ import annotations

from local_http_support import serve
from web_answer_support import answering, wheel_refusal

PAGE = b"\n  <!DOCTYPE html><html><body>Log in to the hotel's wifi</body></html>"


def _download(tmp_path, monkeypatch, body: bytes) -> str:
    server = serve(answering(body))
    base = next(server)
    try:
        return wheel_refusal(tmp_path, monkeypatch, base)
    finally:
        server.close()


def test_a_web_page_in_the_wheels_place_is_named(tmp_path, monkeypatch):
    text = _download(tmp_path, monkeypatch, PAGE)
    assert "does not match its known sha256 (the answer is a web page, not the file: a " \
           "network that wants a login first?)" in text, text
    assert "substituted" not in text and "\n" not in text


def test_another_wrong_file_is_still_said_to_be_corrupted_or_substituted(tmp_path,
                                                                           monkeypatch):
    text = _download(tmp_path, monkeypatch, b"PK\x03\x04" + bytes(1000))
    assert "(corrupted or substituted download)" in text, text
