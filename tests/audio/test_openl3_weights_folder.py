"""``--openl3-weights FOLDER``: said to be a folder, not "not found" (it is there)."""

from __future__ import annotations

import pytest

from musicsage.audio import openl3
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3.variants import parse_variant

VARIANT = parse_variant(None)


def test_a_folder_is_named_a_folder_with_the_file_expected(ctx, tmp_path):
    with pytest.raises(MissingWeights) as err:
        openl3.resolve_source(ctx, VARIANT, weights=tmp_path)
    text = str(err.value)
    assert "not found" not in text and f"{tmp_path} is a folder, not the weights file" in text
    assert VARIANT.weights_stem + ".h5.gz" in text and "\n" not in text
    assert not openl3.weights_available(ctx, weights=str(tmp_path))


def test_a_folder_holding_the_file_names_it(tmp_path):
    inside = tmp_path / (VARIANT.weights_stem + ".h5")
    inside.write_bytes(b"x")
    with pytest.raises(MissingWeights, match=f"did you mean {inside}"):
        openl3.weights_file(tmp_path, "mel256_music_512")


def test_a_missing_file_is_still_not_found(tmp_path):
    with pytest.raises(MissingWeights, match="typo.h5 not found"):
        openl3.weights_file(tmp_path / "typo.h5")


def test_embed_says_so_before_any_work(ctx, tmp_path):
    """``musicsage embed --openl3-weights FOLDER`` checks the path itself first
    (audio/selection.py): it said "not found" there too."""
    from musicsage.audio.selection import embed_library

    with pytest.raises(MissingWeights, match=f"{tmp_path} is a folder, not the weights file"):
        embed_library(ctx, "openl3", openl3_weights=str(tmp_path))
