"""A weights download larger than any official OpenL3 file is stopped, not written whole.

A mirror (``MUSICSAGE_OPENL3_URL_BASE``) or a portal answering with a big wrong file (a disk
image) had it written to the models folder to the last byte and read whole into memory, only
to say "does not verify". The answer is refused once it outgrows the cap (before a byte when
its Content-Length says so), and nothing is left in the folder. Served on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from local_http_support import QuietHandler, serve

from musicsage.audio.openl3 import weights
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights

CAP = 200_000
BODY = b"\x1f\x8b" + bytes(4 * CAP)


@pytest.fixture(params=[True, False], ids=["announced", "unannounced"])
def announce(request) -> bool:
    """Whether the answer says its size (Content-Length) up front."""
    return request.param


@pytest.fixture
def big_server(announce):

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.0"  # no Content-Length: the body ends when it closes

        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            if announce:
                self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            try:
                for i in range(0, len(BODY), 1 << 14):
                    self.wfile.write(BODY[i:i + (1 << 14)])
            except OSError:  # the client stopped reading
                pass

    yield from serve(Handler)


def test_an_answer_too_big_to_be_the_weights_is_stopped(tmp_path, monkeypatch, big_server,
                                                        announce):
    monkeypatch.setattr(weights, "MAX_HASHED", CAP)
    folder = tmp_path / "models"
    read: list[int] = []  # bytes received, as the progress bar is told them
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), folder, base=big_server,
                         progress=lambda p: read.append(p.done))
    message = str(caught.value)
    assert "larger than any OpenL3 weights file" in message and "nothing was cached" in message
    assert "\n" not in message
    assert list(folder.iterdir()) == []  # neither the file nor its temporary
    if announce:
        assert not any(read)  # its size said it: refused before a byte was read
    else:
        assert max(read) <= CAP  # stopped at the cap, not read to its end
