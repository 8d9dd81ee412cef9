"""What the window says of tracks the audio map leaves out as of another analysis version,
where some of them cannot be analysed again (task window2).

Tracks imported from a dataset dir without an audio file, whose vectors are of another version
than the library's, were told "Analyse ▸ Compute embeddings finishes the re-analysis" (and
``musicsage embed analyses them again``): embed has no file to analyse for them, so they stay
as they are after any number of runs. And the tracks of the other version that are all missing
files were named beside a track lacking a vector ("the audio map also leaves out 2 …") but not
without one (they are analysed again once back): now neither names them."""

from __future__ import annotations

import sqlite3

import pytest

from musicsage.usecases.spaces import NO_FILE_WORDS

HINT = "Analyse ▸ Compute embeddings finishes the re-analysis"


def _other_version(ctx, ids: list[int], *, status: str = "", dataset: bool = False) -> None:
    """Give ``ids`` a vector of another analysis version; ``status``: their tracks' status;
    ``dataset``: their tracks as an import of a dataset dir without files stores them."""
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    try:
        db.executemany("UPDATE audio_embeddings SET model_version = model_version || '-other'"
                       " WHERE track_id = ?", [(i,) for i in ids])
        if status:
            db.executemany("UPDATE tracks SET status = ? WHERE id = ?", [(status, i) for i in ids])
        if dataset:
            db.executemany("UPDATE tracks SET path = ?, needs_analysis = 0 WHERE id = ?",
                           [(f"dataset:/gone/export#{i}", i) for i in ids])
        db.commit()
    finally:
        db.close()


def _ids(ctx, n: int) -> list[int]:
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    try:
        return [r[0] for r in db.execute(
            "SELECT DISTINCT track_id FROM audio_embeddings ORDER BY track_id LIMIT ?", (n,))]
    finally:
        db.close()


def _said(ctx, make_app) -> str:
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return " | ".join(text for _level, text in app.notifications)


@pytest.fixture
def no_pending(monkeypatch):
    """No track counted as still to be analysed (the model's settings cannot be told)."""
    from musicsage.audio import selection

    monkeypatch.setattr(selection, "pending_analysis", lambda _ctx: None)


def test_dataset_tracks_of_another_version_are_not_sent_to_compute_embeddings(
        library, make_app, no_pending):
    _other_version(library, _ids(library, 2), dataset=True)
    said = _said(library, make_app)
    assert HINT not in said, said
    assert ("The audio map leaves out 2 tracks analysed with other settings than the rest: "
            f"{NO_FILE_WORDS}, they stay off it") in said, said


def test_dataset_tracks_beside_scanned_ones_are_told_apart(library, make_app, no_pending):
    ids = _ids(library, 3)
    _other_version(library, ids[:2], dataset=True)
    _other_version(library, ids[2:])
    said = _said(library, make_app)
    assert ("The audio map leaves out 3 tracks analysed with other settings than the rest: "
            f"{HINT} (2 of them: {NO_FILE_WORDS})") in said, said


def test_missing_tracks_of_another_version_are_not_named_beside_a_lacking_one(
        library, make_app):
    """Without a track lacking a vector nothing is said of them (test_window_lacking_after_
    reanalysis.py, all_missing_get_no_advice); with one, they were named all the same."""
    from music_support import forget_vectors

    ids = _ids(library, 3)
    _other_version(library, ids[1:], status="missing")
    forget_vectors(library, 1)
    said = _said(library, make_app)
    assert "1 track still lacks an audio embedding" in said, said
    assert "leaves out 2" not in said and "also leaves out" not in said, said


def test_missing_tracks_of_another_version_are_not_named_beside_tracks_to_redo(
        library, make_app, no_pending):
    """Nor beside tracks still to be analysed again (the line's third form)."""
    ids = _ids(library, 4)
    _other_version(library, ids[1:3], status="missing")
    db = sqlite3.connect(library.data_dir / "library.sqlite3")
    with db:
        db.execute("UPDATE tracks SET needs_analysis = 1 WHERE id = ?", (ids[3],))
    db.close()
    said = _said(library, make_app)
    assert f"1 track still to be analysed again: {HINT}" in said, said
    assert "leaves out" not in said, said


def test_the_search_notes_give_dataset_tracks_no_embed_advice(library, no_pending):
    from musicsage.usecases.search import similar_tracks
    from musicsage.usecases.spaces import SearchSpaces

    ids = _ids(library, 2)
    _other_version(library, ids, dataset=True)
    spaces = SearchSpaces(library)
    line = spaces.left_out("audio")
    assert line and "embed" not in line and NO_FILE_WORDS in line, line
    note = similar_tracks(library, ids[0], space="audio", spaces=spaces).notes["audio"]
    assert "re-analysis" not in note and f"it was {NO_FILE_WORDS}" in note, note
