"""``suggest`` of a playlist of one track whose stored audio vector is damaged beyond what
an embed mends (its file missing, or imported from a dataset dir): the note called the track
"its only member" after "no member of the playlist" ("no member of the playlist has an audio
embedding: its only member's stored … vector is damaged"), where every other note on a
playlist of one says "the playlist's only member" (a missing member, a failed analysis)."""

from __future__ import annotations

import numpy as np
from search_helpers import add_playlist, run_cli


def _audio_note(capsys, ctx, playlist: str) -> str:
    rc, _out, err = run_cli(capsys, ctx, "suggest", playlist, "--space", "audio")
    assert rc == 1, err
    return err.strip().partition("audio: ")[2]


def _damaged(library, n: int, bad: list[int]) -> None:
    vectors = np.random.default_rng(0).normal(size=(n, 8)).astype(np.float32)
    vectors[bad, 0] = np.nan
    library.embed(vectors)
    for track_id in (library.ids[i] for i in bad):
        library.set_missing(track_id)
    library.conn.commit()


def test_one_member_beyond_an_embed_is_the_playlists_only_member(capsys, ctx, library):
    library.add(6)
    _damaged(library, 6, [5])
    add_playlist(library.conn, "/p/a.m3u", "one", [library.ids[5]])
    library.conn.commit()
    note = _audio_note(capsys, ctx, "one")
    assert note.startswith("the playlist's only member has no audio embedding: its stored "), note
    assert "vector is damaged and its audio cannot be analysed again (its file is missing)" in note
    assert "no member" not in note and "its only member" not in note


def test_several_members_keep_no_member_of_the_playlist(capsys, ctx, library):
    library.add(6)
    _damaged(library, 6, [4, 5])
    add_playlist(library.conn, "/p/a.m3u", "two", library.ids[4:6])
    library.conn.commit()
    note = _audio_note(capsys, ctx, "two")
    assert note.startswith("no member of the playlist has an audio embedding: each member's "
                           "stored "), note


def test_one_member_an_embed_mends_is_the_playlists_only_member(capsys, ctx, library):
    library.add(6)
    vectors = np.random.default_rng(0).normal(size=(6, 8)).astype(np.float32)
    vectors[5, 0] = np.nan  # its file is there: an embed analyses it again
    library.embed(vectors)
    add_playlist(library.conn, "/p/a.m3u", "one", [library.ids[5]])
    library.conn.commit()
    note = _audio_note(capsys, ctx, "one")
    assert note.startswith("the playlist's only member has no audio embedding: its stored "), note
    assert "vector is damaged (" in note and "; an embed analyses it again (" in note
    assert "no member" not in note and "its only member" not in note
