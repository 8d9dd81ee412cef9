"""``map``'s line on tracks left out for a damaged vector said "an embed analyses it again"
of three tracks of which two are missing (their files gone): "it" named none of them, and
an embed mends one of three. The line now says how many an embed mends when it is not all."""

from __future__ import annotations

import json

import numpy as np
from search_helpers import clustered_vectors, run_cli
from hints_told_support import as_default

HINT = "(Compute embeddings in the window, or musicsage embed)"
DAMAGED = ("spectral-test vectors are damaged (NaN or infinite values, or the wrong length)")


def _left_out(capsys, ctx, library, damaged: int, missing: int) -> str:
    """``map --json``'s ``left_out`` of six tracks, ``damaged`` of them with a NaN vector,
    the first ``missing`` of those with their file gone."""
    library.add(6)
    vectors = clustered_vectors(len(library.ids))
    vectors[:damaged] = np.nan
    library.embed(vectors)
    for track_id in library.ids[:missing]:
        library.set_missing(track_id)
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio", "--json")
    assert rc == 0, err
    return as_default(json.loads(out)["audio"]["left_out"], ctx.data_dir)


def test_an_embed_is_said_to_mend_only_the_one_of_three_it_can(capsys, ctx, library):
    assert _left_out(capsys, ctx, library, damaged=3, missing=2) == (
        f"3 tracks left out: their {DAMAGED}; an embed analyses 1 of them again {HINT}")


def test_two_of_three_mended_are_counted_too(capsys, ctx, library):
    assert _left_out(capsys, ctx, library, damaged=3, missing=1) == (
        f"3 tracks left out: their {DAMAGED}; an embed analyses 2 of them again {HINT}")


def test_all_mended_are_them(capsys, ctx, library):
    assert _left_out(capsys, ctx, library, damaged=3, missing=0) == (
        f"3 tracks left out: their {DAMAGED}; an embed analyses them again {HINT}")


def test_none_mended_has_no_embed_advice(capsys, ctx, library):
    assert _left_out(capsys, ctx, library, damaged=3, missing=3) == (
        f"3 tracks left out: their {DAMAGED}")
