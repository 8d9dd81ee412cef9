"""The left-out line where the map shows the OLD analysis version (task fix3_usecases2): a
re-analysis stopped before half-way leaves out the few tracks already re-analysed; where they
were all missing files (or dataset tracks), the lists said "none can be analysed again now",
while an embed of the shown tracks puts them back. A missing file's part says the rescan."""

from __future__ import annotations

import sqlite3

import pytest
from test_window2_reanalysis_advice import _ids, _other_version, _said, no_pending  # noqa: F401

from musicsage.usecases.spaces import SearchSpaces

NONE_NOW = "none can be analysed again now"
BACK = "once back, a rescan and an embed analyse"


def _stopped_before_half(ctx, dataset: bool) -> list[int]:
    """All tracks but two of the old settings; the two re-analysed ones missing (or one a
    dataset track without a file)."""
    ids = _ids(ctx, 10_000)
    _other_version(ctx, ids[2:])
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    with db:
        db.execute("UPDATE tracks SET status='missing' WHERE id=?", (ids[1],))
        if dataset:
            db.execute("UPDATE tracks SET path=?, needs_analysis=0 WHERE id=?",
                       (f"dataset:/gone/export#{ids[0]}", ids[0]))
        else:
            db.execute("UPDATE tracks SET status='missing' WHERE id=?", (ids[0],))
    db.close()
    return ids


@pytest.mark.parametrize("dataset", [False, True])
def test_the_old_version_shown_keeps_the_embed_advice(library, make_app, dataset):
    from musicsage.usecases.search import similar_tracks

    ids = _stopped_before_half(library, dataset)
    line = SearchSpaces(library).left_out("audio")
    assert line and NONE_NOW not in line and "musicsage embed" in line, line
    assert BACK in line, line
    note = similar_tracks(library, ids[1], space="audio",
                          spaces=SearchSpaces(library)).notes.get("audio")
    assert note and "cannot be analysed again now" not in note and BACK in note, note
    said = _said(library, make_app)
    assert NONE_NOW not in said and "Compute embeddings" in said, said


def test_a_missing_file_none_can_redo_now_names_the_rescan(library, no_pending):
    ids = _ids(library, 3)
    _other_version(library, ids[:1], status="missing")
    _other_version(library, ids[1:2], dataset=True)
    line = SearchSpaces(library).left_out("audio")
    assert line.endswith(f"{NONE_NOW} (1 of them: imported from a dataset dir, with no audio "
                         f"file to analyse again) (1 of them is a missing file: {BACK} it)"), line


def test_the_old_version_shown_but_every_file_missing_advises_no_embed(library, make_app):
    """A re-analysis stopped before half-way, then the drive unplugged (review of 20a5cda):
    the old version shown, every track missing. Embed has nothing to do ("nothing to embed:
    12 tracks' audio files are missing"), yet the line advised it, and said it again after."""
    from musicsage.usecases.embedding import embed_library

    ids = _stopped_before_half(library, dataset=False)
    db = sqlite3.connect(library.data_dir / "library.sqlite3")
    with db:
        db.executemany("UPDATE tracks SET status='missing' WHERE id=?", [(i,) for i in ids])
    db.close()
    line = SearchSpaces(library).left_out("audio")
    assert line and NONE_NOW in line and "`musicsage embed` analyses" not in line, line
    assert embed_library(library, "spectral").nothing_to_do
    assert "Compute embeddings" not in _said(library, make_app)
