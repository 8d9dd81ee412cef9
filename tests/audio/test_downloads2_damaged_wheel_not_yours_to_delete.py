"""A damaged MusiCNN wheel in a folder this user cannot write is not told "delete it".

A checkout's ``models/`` installed by another user, a shared ``$MUSICSAGE_WEIGHTS_DIR`` or a
read-only mount: "… is corrupted …: delete it (the next use downloads it again)" failed there
("Permission denied") and left the user no way on. They are told where a copy of their own
is used instead (a folder searched before the damaged one, for a zip damaged inside), or,
when there is none, to set ``$MUSICSAGE_WEIGHTS_DIR`` (and put a copy there, for a zip
damaged inside: it is still found after it); and that advice is checked to work
(test_fixdownloads_weights_dir_advice_works.py follows it in an installed app's cache).
Read-only is played with ``os.access`` (as for another user, even when run as root).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

import musicsage.context
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import network
from musicsage.audio.musicnn import wheel as W
from musicsage.errors import MusicsageError

INDEX = "musicnn/MSD_musicnn/.index"


def damaged_inside() -> bytes:
    """A wheel that is a zip whose checkpoint member no longer matches its CRC."""
    payload = bytes(range(256)) * 64
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("musicnn/configuration.py", b"MSD_LABELS = ['rock']\n")
        z.writestr(INDEX, payload)
        z.writestr("musicnn/MSD_musicnn/.data-00000-of-00001", b"")
    raw = bytearray(buf.getvalue())
    at = raw.index(payload) + 1000
    raw[at:at + 16] = bytes(16)
    return bytes(raw)


def good_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(INDEX, b"fine")
    return buf.getvalue()


@pytest.fixture
def read_only(monkeypatch):
    """``read_only(folder)``: this user may no longer write ``folder``."""
    frozen: set[Path] = set()
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if Path(path) in frozen and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(network, "_CACHE", {})
    return frozen.add


@pytest.fixture
def checkout(tmp_path, monkeypatch, read_only) -> Path:
    """A checkout's ``models/`` this user may read, not write."""
    models = tmp_path / "checkout" / "models"
    models.mkdir(parents=True)
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: models.parent)
    monkeypatch.delenv(musicsage.context.WEIGHTS_DIR_ENV, raising=False)
    read_only(models)
    return models


def test_a_wheel_damaged_inside_in_a_read_only_checkout_names_where_a_copy_serves(ctx,
                                                                                   checkout):
    (checkout / W.WHEEL_NAME).write_bytes(damaged_inside())
    mine = ctx.cache_dir / "models"
    with pytest.raises(MusicsageError) as caught:
        network.load_network(ctx, "msd", download=False, model_id="musicnn-msd-max_pool")
    text = str(caught.value)
    assert ": delete it" not in text and "\n" not in text, text
    assert f"it lies in {checkout}, which you cannot write" in text, text
    assert f"put {W.WHEEL_NAME} into DIR = {mine}" in text, text
    mine.mkdir(parents=True)  # the advice followed: that copy is the one used
    (mine / W.WHEEL_NAME).write_bytes(good_zip())
    assert W.find_wheel(ctx) == mine / W.WHEEL_NAME


def test_a_no_zip_wheel_in_a_read_only_weights_folder_names_a_later_folder(
        ctx, tmp_path, monkeypatch, read_only):
    """``$MUSICSAGE_WEIGHTS_DIR`` a shared folder only read: one that is no zip is passed
    over, so a fresh copy in the user's cache serves (a download cannot go to the shared one)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / W.WHEEL_NAME).write_bytes(b"<html>not a wheel</html>")
    monkeypatch.setenv(musicsage.context.WEIGHTS_DIR_ENV, str(shared))
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: tmp_path)  # no checkout's
    read_only(shared)
    mine = ctx.cache_dir / "models"
    with pytest.raises(MissingWeights) as caught:
        W.ensure_wheel(ctx, model_id="musicnn-msd-max_pool")
    text = str(caught.value)
    assert ": delete it" not in text and "is damaged (not a zip)" in text, text
    assert f"put {W.WHEEL_NAME} into DIR = {mine}" in text, text
    mine.mkdir(parents=True)
    (mine / W.WHEEL_NAME).write_bytes(good_zip())
    assert W.ensure_wheel(ctx, download=False) == mine / W.WHEEL_NAME


def test_a_wheel_damaged_inside_first_in_the_search_asks_for_another_weights_folder(
        tmp_path, read_only):
    """Found before any other copy, and nowhere to put one: the option that works is said."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / W.WHEEL_NAME).write_bytes(damaged_inside())
    read_only(shared)
    with W.MusicnnWheel(shared / W.WHEEL_NAME, "musicnn-msd-max_pool",
                        [shared, tmp_path / "cache" / "models"]) as opened, \
            pytest.raises(MusicsageError) as caught:
        opened.read(INDEX)
    text = str(caught.value)
    assert ": delete it" not in text, text
    assert f"it lies in {shared}, which you cannot write" in text, text
    assert "set $MUSICSAGE_WEIGHTS_DIR to a folder you can write and run `pip download" in \
        text, text
    assert f"put {W.WHEEL_NAME} into DIR = that folder" in text, text
    assert "downloads it again" not in text, text  # a zip still searched is found first


def test_a_damaged_wheel_the_user_can_delete_is_still_told_so(tmp_path):
    (tmp_path / W.WHEEL_NAME).write_bytes(damaged_inside())
    with W.MusicnnWheel(tmp_path / W.WHEEL_NAME, None, [tmp_path]) as opened, \
            pytest.raises(MusicsageError, match=r"delete it \(the next use downloads it again\)"):
        opened.read(INDEX)
