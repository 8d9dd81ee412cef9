"""``train`` refusing too few memberships of tracks with vectors advised "or compute the other
tracks' embeddings (embed)" also where no embed can make them: playlist tracks whose files are
gone, or imported from a dataset dir without a features.npy (``embed`` skips both; ``stats``
says so). The advice now stands only where an embed can analyse some of those tracks."""

from __future__ import annotations

from search_helpers import add_playlist, clustered_vectors, run_cli

EMBED_ADVICE = "or compute the other tracks' embeddings (embed)"


def _ten_of_twenty_five_embedded(library) -> list[int]:
    """25 memberships, 10 of them of tracks with an audio vector (too few to train on);
    the other 15 playlist tracks, returned, lack one."""
    library.add(30)
    library.embed(clustered_vectors(10), library.ids[:10])
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids[:5] + library.ids[10:23])
    add_playlist(library.conn, "/p/b.m3u", "b", library.ids[5:10] + library.ids[23:25])
    library.conn.commit()
    return library.ids[10:25]


def test_playlist_tracks_an_embed_can_analyse_are_still_sent_to_embed(capsys, ctx, library):
    _ten_of_twenty_five_embedded(library)
    rc, _out, err = run_cli(capsys, ctx, "train", "--max-steps", "1")
    assert rc == 1
    assert "25 playlist memberships, 10 of them of tracks with " in err
    assert err.rstrip().endswith(EMBED_ADVICE)


def test_playlist_tracks_whose_files_are_gone_are_not_sent_to_embed(capsys, ctx, library):
    for track_id in _ten_of_twenty_five_embedded(library):
        library.set_missing(track_id)
    library.conn.commit()
    for command in ("train", "eval"):
        rc, _out, err = run_cli(capsys, ctx, command, "--max-steps", "1")
        assert rc == 1
        line = err.strip().splitlines()[-1]
        assert "25 playlist memberships, 10 of them of tracks with " in line
        assert line.endswith("at least 20 are needed — put more tracks in playlists")
        assert "embed" not in line.split("—")[-1]


def test_one_track_an_embed_can_analyse_keeps_the_advice(capsys, ctx, library):
    """Some of those tracks can be analysed: embed is still a way to more memberships."""
    for track_id in _ten_of_twenty_five_embedded(library)[1:]:
        library.set_missing(track_id)
    library.conn.commit()
    rc, _out, err = run_cli(capsys, ctx, "train", "--max-steps", "1")
    assert rc == 1 and err.rstrip().endswith(EMBED_ADVICE)
