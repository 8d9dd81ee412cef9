"""Digits ``int()`` and ``float()`` do not read ("²", "³": ``str.isdigit`` says yes to them)
are refused as the words they are, not a crash: an OpenL3 variant typed on the command line
(``--openl3-variant mel128_env_²`` ended in "unexpected error (ValueError…); this is a bug")
and an analysis budget read back from the version stored with a library's vectors."""

from __future__ import annotations

import pytest

from musicsage.audio import selection
from musicsage.audio.embedder import embedder_identity
from musicsage.audio.openl3.variants import parse_variant
from musicsage.errors import MusicsageError


@pytest.mark.parametrize("text", ["mel128_env_²", "mel128_env_5¹²", "²"])
def test_an_openl3_variant_with_a_superscript_size_is_unknown(text):
    with pytest.raises(MusicsageError, match=r"^unknown OpenL3 variant"):
        parse_variant(text)


def test_a_plain_size_still_names_the_variant():
    assert parse_variant("mel128_env_6144").embedding_size == 6144


@pytest.mark.parametrize("value", ["²", "1²", "²s"])
def test_a_stored_version_with_a_superscript_budget_reads_as_no_budget(ctx, value):
    model_id, version = embedder_identity("spectral", ctx)
    assert "max=30" in version
    assert selection._budget_making(ctx, model_id, version.replace("max=30", f"max={value}")) \
        == {}
    assert selection._budget_making(ctx, model_id, version.replace("max=30", "max=12")) \
        == {"max_seconds": 12.0}
