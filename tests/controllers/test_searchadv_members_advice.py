"""What ``suggest`` and the window's status line advise for tracks an embed cannot analyse now
(task searchadv).

A playlist whose members have no audio vector and are all tracks imported from a dataset dir
without a file, or missing files, was told "(Compute embeddings in the window, or musicsage
embed)": an embed skips every one of them. Members whose stored vectors are damaged, some with
a file here, some dataset-only, some missing, were all told "an embed analyses them again". And
the window's status line beside a track lacking a vector said the tracks of another version it
leaves out in words of its own ("(2 imported …)"), naming no missing file and giving no
advice, where the status line's other forms and the CLI say :func:`~musicsage.usecases.
left_out_notes.reanalysis_tail`'s words."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from test_window2_reanalysis_advice import _ids, _other_version, _said

from musicsage.errors import EMBED_HINT
from musicsage.usecases.left_out_notes import NO_FILE_WORDS


def _members(ctx) -> tuple[int, list[int]]:
    from musicsage.usecases.library import list_playlists, playlist_track_ids

    playlist = list_playlists(ctx)[0]
    return playlist.id, sorted(set(playlist_track_ids(ctx, playlist.id)))


def _edit(ctx, *, drop=(), nan=(), dataset=(), missing=()) -> None:
    """Drop the vectors of ``drop``, damage (NaN) those of ``nan``; make ``dataset`` tracks
    imported from a dataset dir without a file, ``missing`` missing files."""
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    with db:
        db.executemany("DELETE FROM audio_embeddings WHERE track_id = ?", [(t,) for t in drop])
        for tid, dim in db.execute("SELECT track_id, dim FROM audio_embeddings").fetchall():
            if tid in nan:
                db.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                           (np.full(dim, np.nan, "<f4").tobytes(), tid))
        db.executemany("UPDATE tracks SET path = ?, needs_analysis = 0 WHERE id = ?",
                       [(f"dataset:/gone/export#{t}", t) for t in dataset])
        db.executemany("UPDATE tracks SET status = 'missing' WHERE id = ?",
                       [(t,) for t in missing])
    db.close()


def _audio_note(ctx, playlist_id: int) -> str:
    from musicsage.usecases.suggest import suggest_tracks

    return suggest_tracks(ctx, playlist_id, space="audio").notes["audio"]


HEAD = "no member of the playlist has an audio embedding"


def test_members_without_a_file_to_analyse_are_not_sent_to_embed(library):
    playlist, members = _members(library)
    half = len(members) // 2
    _edit(library, drop=members, dataset=members[:half], missing=members[half:])
    note = _audio_note(library, playlist)
    assert EMBED_HINT not in note, note
    n = len(members)
    assert note == (f"{HEAD}: none can be analysed again now ({half} of them: {NO_FILE_WORDS}) "
                    f"({n - half} of them are missing files: once back, a rescan and an embed "
                    "analyse them)"), note


def test_members_all_imported_without_files_are_told_so(library):
    playlist, members = _members(library)
    _edit(library, drop=members, dataset=members)
    note = _audio_note(library, playlist)
    assert note == (f"{HEAD}: they were imported from a dataset dir, with no audio file to "
                    "analyse"), note


def test_members_without_a_vector_some_here_get_the_advice_for_those(library):
    """Some members' files are here: embed analyses them, and only them is it said of."""
    playlist, members = _members(library)
    _edit(library, drop=members, dataset=members[:1], missing=members[1:2])
    note = _audio_note(library, playlist)
    rest = len(members) - 2
    assert note == (f"{HEAD}: an embed analyses {rest} of them ({EMBED_HINT}) (1 of them: "
                    f"{NO_FILE_WORDS}) (1 of them is a missing file: once back, a rescan and "
                    "an embed analyse it)"), note


def test_members_whose_analysis_failed_are_not_sent_to_embed_either(library):
    """The members with a file here all failed their analysis: no embed advice for them
    (``members_failed`` says why), nor for the dataset ones."""
    playlist, members = _members(library)
    half = len(members) // 2
    _edit(library, drop=members, dataset=members[:half])
    db = sqlite3.connect(library.data_dir / "library.sqlite3")
    with db:
        db.executemany("INSERT INTO errors(path, track_id, stage, message) SELECT path, id, "
                       "'scan', 'not a readable flac file' FROM tracks WHERE id = ?",
                       [(t,) for t in members[half:]])
    db.close()
    note = _audio_note(library, playlist)
    assert EMBED_HINT not in note, note
    assert note.startswith(f"{HEAD}: {half} of them were imported from a dataset dir, with no "
                           f"audio file to analyse; {len(members) - half} of the playlist's "
                           f"{len(members)} members have no audio embedding: "), note


def test_members_without_a_vector_all_here_keep_the_plain_advice(library):
    playlist, members = _members(library)
    _edit(library, drop=members)
    assert _audio_note(library, playlist) == f"{HEAD} ({EMBED_HINT})"


def test_damaged_members_are_told_embed_mends_only_those_it_can(library):
    from musicsage.library.damaged_vectors import DAMAGE_WORDS

    playlist, members = _members(library)
    _edit(library, nan=members, dataset=members[:2], missing=members[2:4])
    note = _audio_note(library, playlist)
    rest = len(members) - 4
    assert note == (f"{HEAD}: each member's stored spectral vector is damaged ({DAMAGE_WORDS}); "
                    f"an embed analyses {rest} of them again ({EMBED_HINT}) (2 of them: "
                    f"{NO_FILE_WORDS}) (2 of them are missing files: once back, a rescan and an "
                    "embed analyse them)"), note


@pytest.mark.parametrize("present", [0, 1])
def test_the_status_line_beside_a_lacking_track_says_the_same_tail(library, make_app,
                                                                   present):
    """Beside a track lacking a vector: the same words as the status line's other forms and
    the CLI's left-out line (:func:`reanalysis_tail`), a missing file named too."""
    from music_support import forget_vectors

    ids = _ids(library, 5)
    _other_version(library, ids[1:3], dataset=True)
    _other_version(library, ids[3:4], status="missing")
    if present:
        _other_version(library, ids[4:5])
    forget_vectors(library, 1)
    said = _said(library, make_app)
    n = 3 + present
    parts = (f"({2} of them: {NO_FILE_WORDS}) (1 of them is a missing file: once back, a rescan "
             "and an embed analyse it)")
    head = (f"1 track still lacks an audio embedding, so the map leaves it out: Analyse ▸ Compute"
            f" embeddings; the audio map also leaves out {n} analysed with other settings")
    tail = ("Analyse ▸ Compute embeddings finishes the re-analysis" if present
            else "none can be analysed again now")
    assert f"{head}: {tail} {parts}" in said, said
