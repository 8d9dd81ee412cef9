"""An OpenL3 variant name that gives one of its parts twice, two ways (``mel256_mel128_music``,
``music_512_6144``: a typo, a half-edited script) is refused in one line: the last value was
taken without a word, and ``embed --openl3-variant`` embedded the library with a model the
user did not mean to name (and downloaded its weights)."""

from __future__ import annotations

import pytest

from musicsage.audio.openl3 import model_asked
from musicsage.audio.openl3.variants import Variant, parse_variant
from musicsage.errors import MusicsageError


@pytest.mark.parametrize("text,said", [
    ("mel256_mel128_music", "names two input representations (mel256 and mel128)"),
    ("env-music-512", "names two content types (env and music)"),
    ("openl3_mel128_env_512_6144", "names two embedding sizes (512 and 6144)")])
def test_a_part_given_two_ways_is_refused(text, said):
    with pytest.raises(MusicsageError) as caught:
        parse_variant(text)
    assert str(caught.value) == f"OpenL3 variant {text!r} {said}: name one"
    with pytest.raises(MusicsageError):
        model_asked(None, text)  # embed --openl3-variant TEXT


@pytest.mark.parametrize("text,variant", [
    ("mel128_mel128_env", Variant("mel128", "env", 512)),
    ("openl3-linear-music-0512-512", Variant("linear", "music", 512)),
    ("openl3-mel256-music-6144", Variant("mel256", "music", 6144))])
def test_a_part_given_twice_the_same_way_is_that_part(text, variant):
    assert parse_variant(text) == variant
