"""A plain ``embed`` says of another user's no-zip MusiCNN wheel what ``embed --model`` does.

An installed app searches the user cache's ``models/``; made by ``sudo``, a wheel there that
is no zip is not the user's to delete. Once they set $MUSICSAGE_WEIGHTS_DIR to a folder of
their own (as advised), ``embed --model …`` downloads past that wheel into it, but a plain
``embed`` still said "… is damaged (not a zip): … run `pip download …` … and put it into
DIR": by hand what the download does itself. Now it says the weights are not found and
``embed --model …`` downloads them — and that command does. Before the advice is followed
(no folder of their own), the wheel is still named. Read-only is played with ``os.access``
(tests run as root).
"""

from __future__ import annotations

import hashlib

import pytest
from fake_pypi import FakePyPI
from test_fixdownloads_weights_dir_advice_works import (  # noqa: F401 (fixtures)
    MODEL_ID, installed, read_only)
from test_musicnn_wheel import fake_wheel_bytes

import musicsage.context
from musicsage.audio import musicnn
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.model_fallback import check_weights_on_disk
from musicsage.audio.musicnn import wheel as W


def _plain_embed_says(ctx) -> str:
    """What ``embed`` without ``--model`` stops with for the library's MusiCNN model."""
    with pytest.raises(MissingWeights) as caught:
        check_weights_on_disk(ctx, MODEL_ID, "musicnn", {})
    return str(caught.value)


def test_a_plain_embed_sends_to_the_download_that_gets_past_the_wheel(
        ctx, installed, tmp_path, monkeypatch):
    damaged = installed / W.WHEEL_NAME
    damaged.write_bytes(b"<html>cut</html>")
    mine = tmp_path / "mine"  # the advice followed
    monkeypatch.setenv(musicsage.context.WEIGHTS_DIR_ENV, str(mine))
    assert musicnn.weights_available(ctx, model_id=MODEL_ID) is False
    text = _plain_embed_says(ctx)
    assert "is damaged" not in text and "pip download" not in text, text
    assert f"weights not found — `musicsage embed --model {MODEL_ID}` downloads them" in text
    payload = fake_wheel_bytes()
    monkeypatch.setattr(W, "WHEEL_SHA256", hashlib.sha256(payload).hexdigest())
    with FakePyPI(payload) as pypi:  # ... and it does
        got = W.ensure_wheel(ctx, pypi_url=pypi.base + "/pypi", model_id=MODEL_ID)
    assert got == mine / W.WHEEL_NAME and got.read_bytes() == payload
    assert damaged.read_bytes() == b"<html>cut</html>"


def test_before_the_advice_is_followed_the_wheel_is_still_named(ctx, installed):
    (installed / W.WHEEL_NAME).write_bytes(b"<html>cut</html>")
    text = _plain_embed_says(ctx)
    assert f"{installed / W.WHEEL_NAME} is damaged (not a zip)" in text, text
    assert "set $MUSICSAGE_WEIGHTS_DIR to a folder you can write" in text, text
