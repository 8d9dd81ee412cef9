"""A query or radio seed without any audio vector that was imported from a dataset dir
without an audio file, or whose file is missing, was told "has no audio embedding (Compute
embeddings in the window, or musicsage embed)" (task fix_usecases2): embed skips both, so
every run left it as it was. It is told why instead."""

from __future__ import annotations

import sqlite3

import pytest
from test_window2_reanalysis_advice import _ids

from musicsage.usecases.spaces import SearchSpaces

SAID = {"dataset": "has no audio embedding: it was imported from a dataset dir, with no audio "
                   "file to analyse",
        "missing": "has no audio embedding: its file is missing: once it is back, a rescan "
                   "(Rescan in the window, or `musicsage scan`) and an embed analyse it"}
"""An embed reads only the files the library lists as present: "an embed analyses it once it
is back" left it as it was after its file was put back, until a rescan (task fix2_usecases2)."""


def _without_vector(ctx, track_id: int, how: str) -> None:
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    with db:
        db.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (track_id,))
        if how == "dataset":
            db.execute("UPDATE tracks SET path = ?, needs_analysis = 0 WHERE id = ?",
                       (f"dataset:/gone/export#{track_id}", track_id))
        else:
            db.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (track_id,))
    db.close()


@pytest.mark.parametrize("how", ["dataset", "missing"])
def test_query_and_seed_are_told_why_embed_gives_them_none(library, how):
    from musicsage.usecases.radio import radio_start
    from musicsage.usecases.search import similar_tracks

    track = _ids(library, 1)[0]
    _without_vector(library, track, how)
    note = similar_tracks(library, track, space="audio",
                          spaces=SearchSpaces(library)).notes["audio"]
    assert note == f"the query track {SAID[how]}", note
    said = radio_start(library, track, 5, spaces=SearchSpaces(library))
    assert said == f"the seed track {SAID[how]}", said


def test_a_present_scanned_query_is_still_sent_to_embed(library):
    from musicsage.errors import EMBED_HINT
    from musicsage.usecases.search import similar_tracks

    track = _ids(library, 1)[0]
    db = sqlite3.connect(library.data_dir / "library.sqlite3")
    with db:
        db.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (track,))
    db.close()
    note = similar_tracks(library, track, space="audio",
                          spaces=SearchSpaces(library)).notes["audio"]
    assert note == f"the query track has no audio embedding ({EMBED_HINT})", note
