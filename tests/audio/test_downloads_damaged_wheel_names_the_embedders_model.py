"""A damaged MusiCNN wheel met while loading the network names how to get it back for the
model being used, never another.

The embedder's load went through ``ensure_wheel`` and ``MusicnnWheel`` without its model id,
and both advised ``embed --model musicnn``: on a musicnn-mtt library that command switches
every track to the default MSD model (its vectors and graph model left behind), and after
``tags`` it switches whatever library is open to MusiCNN.
"""

from __future__ import annotations

import zipfile

import pytest

from musicsage.audio.musicnn import network, wheel
from musicsage.audio.musicnn.embedding import MusicnnEmbedder
from musicsage.context import AppContext
from musicsage.errors import MusicsageError

MODEL_ID = "musicnn-mtt-max_pool"
PAYLOAD = bytes(range(256)) * 64


@pytest.fixture
def models(tmp_path, monkeypatch, no_checkout_models):
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: folder))
    monkeypatch.setattr(network, "_CACHE", {})
    return folder


def _not_a_zip(path):
    path.write_bytes(b"<html>a login page</html>")


def _member_damaged(path):
    """A zip whose checkpoint fails its CRC (a bad sector): still found as the wheel."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for member in (".index", ".data-00000-of-00001"):
            z.writestr(f"musicnn/MTT_musicnn/{member}", PAYLOAD)
    raw = bytearray(path.read_bytes())
    at = raw.index(PAYLOAD) + 1000
    raw[at:at + 16] = bytes(16)
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("damage", [_not_a_zip, _member_damaged])
def test_the_embedders_advice_names_its_own_model(ctx, models, damage):
    damaged = models / wheel.WHEEL_NAME
    damage(damaged)
    with pytest.raises(MusicsageError) as caught:
        MusicnnEmbedder(ctx, model_id=MODEL_ID)
    text = str(caught.value)
    assert str(damaged) in text and "delete it" in text, text
    assert f"(embed --model {MODEL_ID} downloads it again)" in text, text
    assert damaged.exists()  # the user deletes it: the app never does


@pytest.mark.parametrize("damage", [_not_a_zip, _member_damaged])
def test_a_load_for_tags_advises_no_embed(ctx, models, damage):
    damage(models / wheel.WHEEL_NAME)
    with pytest.raises(MusicsageError) as caught:
        network.load_network(ctx, "MTT_musicnn")
    text = str(caught.value)
    assert "delete it (the next use downloads it again)" in text, text
    assert "embed --model" not in text, text
