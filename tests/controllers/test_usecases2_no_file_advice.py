"""``radio`` of a seed track, and ``suggest`` of a playlist whose members, were imported from a
dataset dir without an audio file and hold a vector of another analysis version than the
library's: they were told "musicsage embed finishes the re-analysis" (the window: "Analyse ▸
Compute embeddings …"), which has no file to analyse for them — every run left them as they
were. They are told what ``similar`` tells such a query (usecases/spaces.py NO_FILE_WORDS).
A missing query, seed or member is told its re-analysis waits until its file is back, in the
words of the left-out line (embed skips a missing file)."""

from __future__ import annotations

import sqlite3

from musicsage.usecases.spaces import NO_FILE_WORDS, SearchSpaces


def _other_version(ctx, ids: list[int], *, dataset: bool) -> None:
    """Give ``ids`` a vector of another, older analysis version (half the library's tracks
    of each version: the newer one is searched); ``dataset``: their tracks stored as an
    import of a dataset dir without files stores them (no file path)."""
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    try:
        db.executemany("UPDATE audio_embeddings SET model_version = model_version || '-other',"
                       " created_at = '2000-01-01T00:00:00.000Z' WHERE track_id = ?",
                       [(i,) for i in ids])
        if dataset:
            db.executemany("UPDATE tracks SET path = ?, needs_analysis = 0 WHERE id = ?",
                           [(f"dataset:/gone/export#{i}", i) for i in ids])
        db.commit()
    finally:
        db.close()


def _playlist_members(ctx) -> tuple[int, list[int]]:
    from musicsage.usecases.library import list_playlists, playlist_track_ids

    playlist = list_playlists(ctx)[0]
    members = list(dict.fromkeys(playlist_track_ids(ctx, playlist.id)))
    assert len(members) >= 3
    return playlist.id, members


def _radio_reason(ctx, seed: int) -> str:
    from musicsage.usecases.radio import radio_start

    said = radio_start(ctx, seed, 5, spaces=SearchSpaces(ctx))
    assert isinstance(said, str), said
    return said


def test_a_dataset_seed_is_not_sent_to_embed(library):
    _, members = _playlist_members(library)
    _other_version(library, members[:1], dataset=True)
    said = _radio_reason(library, members[0])
    assert "re-analysis" not in said and "embed" not in said, said
    assert said.endswith(f"left out: it was {NO_FILE_WORDS}"), said


def test_a_scanned_seed_is_still_sent_to_embed(library):
    _, members = _playlist_members(library)
    _other_version(library, members[:1], dataset=False)
    assert _radio_reason(library, members[0]).endswith("`musicsage embed` finishes the "
                                                       "re-analysis")


def _suggest_note(ctx, playlist_id: int) -> str:
    from musicsage.usecases.suggest import suggest_tracks

    return suggest_tracks(ctx, playlist_id, space="audio").notes["audio"]


def test_dataset_members_are_not_sent_to_embed(library):
    playlist_id, members = _playlist_members(library)
    _other_version(library, members, dataset=True)
    said = _suggest_note(library, playlist_id)
    assert "re-analysis" not in said and "embed" not in said, said
    assert said.endswith(f"left out: they were {NO_FILE_WORDS}"), said


def test_dataset_members_beside_scanned_ones_are_told_apart(library):
    playlist_id, members = _playlist_members(library)
    _other_version(library, members[:2], dataset=True)
    _other_version(library, members[2:], dataset=False)
    said = _suggest_note(library, playlist_id)
    assert said.endswith(f"`musicsage embed` finishes the re-analysis (2 of them: "
                         f"{NO_FILE_WORDS})"), said


def _missing(ctx, ids: list[int]) -> None:
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    with db:
        db.executemany("UPDATE tracks SET status = 'missing' WHERE id = ?", [(i,) for i in ids])
    db.close()


def test_a_missing_query_or_seed_is_told_once_back(library):
    """A missing file is no embed's to analyse until it is back (the left-out line said so;
    the query's own note did not)."""
    from musicsage.usecases.search import similar_tracks

    _, members = _playlist_members(library)
    _other_version(library, members[:1], dataset=False)
    _missing(library, members[:1])
    note = similar_tracks(library, members[0], space="audio",
                          spaces=SearchSpaces(library)).notes["audio"]
    assert note.endswith(": it cannot be analysed again now (it is a missing file: once back, "
                         "a rescan and an embed analyse it)"), note
    assert _radio_reason(library, members[0]).endswith(
        ": it cannot be analysed again now (it is a missing file: once back, "
        "a rescan and an embed analyse it)")


def test_missing_members_are_told_once_back(library):
    playlist_id, members = _playlist_members(library)
    _other_version(library, members, dataset=False)
    _missing(library, members[:2])
    said = _suggest_note(library, playlist_id)
    assert said.endswith("finishes the re-analysis (2 of them are missing files: once back, "
                         "a rescan and an embed analyse them)"), said
