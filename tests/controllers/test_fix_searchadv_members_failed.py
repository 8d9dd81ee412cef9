"""What ``suggest`` says of a playlist's members an embed cannot help because their file could
not be read by the last scan or their analysis failed (task fix_searchadv).

Members whose stored vectors are damaged were sent to an embed although the scan could not read
their files: the note for members without a vector counts scan and embed failures, the one for
damaged members counted embed failures only. Damaged members whose analysis failed were told so
twice, the second time as members with "no audio embedding" after "each member's stored vector
is damaged". And where the failed members left one member to tell of, "it cannot be analysed
again now" followed "no member of the playlist has an audio embedding": "it" named nothing."""

from __future__ import annotations

import sqlite3

import pytest
from test_searchadv_members_advice import HEAD, _audio_note, _edit, _members

from musicsage.errors import EMBED_HINT
from musicsage.library.damaged_vectors import DAMAGE_WORDS

WHY = "not a readable flac file"
DAMAGED = f"{HEAD}: each member's stored spectral vector is damaged ({DAMAGE_WORDS})"


def _failed(ctx, track_ids, stage: str) -> None:
    """Record that ``stage`` ("scan", "embed:spectral") failed on the files of ``track_ids``."""
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    with db:
        db.executemany("INSERT INTO errors(path, track_id, stage, message) SELECT path, id, ?, ?"
                       " FROM tracks WHERE id = ?", [(stage, WHY, t) for t in track_ids])
    db.close()


@pytest.mark.parametrize("stage", ["scan", "embed:spectral"])
def test_damaged_members_that_failed_are_not_sent_to_embed_and_told_once(library, stage):
    playlist, members = _members(library)
    _edit(library, nan=members)
    _failed(library, members[:2], stage)
    note = _audio_note(library, playlist)
    rest = len(members) - 2
    assert note == (f"{DAMAGED}; an embed analyses {rest} of them again ({EMBED_HINT}) (2 of "
                    f"them: their files could not be read or analysed (first: {WHY}))"), note


@pytest.mark.parametrize("stage", ["scan", "embed:spectral"])
def test_damaged_members_that_all_failed_get_the_failures_note(library, stage):
    """Every member failed: the failures' note alone, whichever failed (as before the task:
    a guard that counting scan failures too left this case as it was)."""
    playlist, members = _members(library)
    _edit(library, nan=members)
    _failed(library, members, stage)
    note = _audio_note(library, playlist)
    assert note == (f"the playlist's {len(members)} members have no audio embedding: their "
                    f"files could not be read or analysed (first: {WHY})"), note


def test_one_damaged_missing_member_beside_failed_ones_is_named(library):
    playlist, members = _members(library)
    _edit(library, nan=members, missing=members[:1])
    _failed(library, members[1:], "scan")
    note = _audio_note(library, playlist)
    assert note == (f"{DAMAGED}; 1 of them cannot be analysed again now (it is a missing file: "
                    f"once back, a rescan and an embed analyse it) ({len(members) - 1} of them: "
                    f"their files could not be read or analysed (first: {WHY}))"), note


def test_one_missing_member_beside_failed_ones_is_named(library):
    """No member has a vector: the failed members' note follows, as it did."""
    playlist, members = _members(library)
    _edit(library, drop=members, missing=members[:1])
    _failed(library, members[1:], "scan")
    note = _audio_note(library, playlist)
    n = len(members)
    assert note == (f"{HEAD}: 1 of them cannot be analysed again now (it is a missing file: once "
                    "back, a rescan and an embed analyse it); "
                    f"{n - 1} of the playlist's {n} members have no audio embedding: their files "
                    f"could not be read or analysed (first: {WHY})"), note
