"""A damaged OpenL3 download in a folder this user cannot write is not told "delete it".

A checkout's ``models/`` installed by another user (or a shared ``$MUSICSAGE_WEIGHTS_DIR``, a
read-only mount) is still searched; an ``.h5.gz`` there that does not verify said "… is
damaged: delete it (embed --model … downloads it again)", which failed there, and the next
``embed`` found the same file. The user is told the way that works: a good copy of their own
given with ``--openl3-weights``. Read-only is played with ``os.access`` (as for another user,
even when run as root)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import musicsage.context
from musicsage.audio import openl3
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import DamagedWeights, git_blob_id


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    """A checkout's ``models/`` this user may read, not write."""
    models = tmp_path / "checkout" / "models"
    models.mkdir(parents=True)
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if Path(path) == models and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(musicsage.context, "repo_root", lambda: models.parent)
    monkeypatch.delenv(musicsage.context.WEIGHTS_DIR_ENV, raising=False)
    return models


def test_a_damaged_download_in_a_read_only_checkout_names_the_way_that_works(ctx, checkout,
                                                                               tmp_path,
                                                                               monkeypatch):
    variant = variants.parse_variant(None)
    damaged = checkout / (variant.weights_stem + ".h5.gz")
    damaged.write_bytes(b"\x1f\x8b cut short")
    with pytest.raises(DamagedWeights) as caught:
        openl3.resolve_source(ctx, variant)
    text = str(caught.value)
    assert ": delete it" not in text and "\n" not in text, text
    assert f"it lies in {checkout}, which you cannot write" in text, text
    assert "into a folder of yours and pass --openl3-weights PATH" in text, text
    good = tmp_path / "mine" / damaged.name  # the advice followed
    good.parent.mkdir()
    good.write_bytes(b"\x1f\x8b a good copy")
    monkeypatch.setitem(variants.GIT_BLOB_IDS, (variant.input_repr, variant.content_type),
                        git_blob_id(good.read_bytes()))
    assert openl3.resolve_source(ctx, variant, weights=good) == good
    assert damaged.read_bytes() == b"\x1f\x8b cut short"


def test_a_damaged_download_the_user_can_delete_is_still_told_so(ctx, tmp_path):
    variant = variants.parse_variant(None)
    (tmp_path / (variant.weights_stem + ".h5.gz")).write_bytes(b"\x1f\x8b cut short")
    with pytest.raises(DamagedWeights, match=rf"delete it \(embed --model "
                                             rf"{variant.model_id} downloads it again\)"):
        openl3.resolve_source(ctx, variant, weights_dir=tmp_path)
