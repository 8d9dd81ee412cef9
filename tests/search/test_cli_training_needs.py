"""The command line's notes said "Retrain in the window, or musicsage train" of a library that
cannot train (no playlists, too few memberships of analysed tracks): ``musicsage train`` then
refused. They now make the window's one decision of what training needs
(:func:`musicsage.graph.reports.training_need`), naming the command that gives it."""

from __future__ import annotations

from search_helpers import add_playlist, clustered_vectors, run_cli

from musicsage.errors import TRAIN_HINT
from musicsage.graph.reports import MIN_MEMBERSHIPS
from musicsage.context import library_option

_NO_PLAYLISTS = ("graph: no trained graph model yet: training one needs playlists that name "
                "tracks of this library: import some with `musicsage scan --playlists PATH`")


def no_playlists(ctx) -> str:
    """The note of a library without playlists, its command naming ``ctx``'s library."""
    return _NO_PLAYLISTS.replace("`musicsage ", f"`musicsage {library_option(ctx.data_dir)}")


def test_similar_and_radio_without_playlists_name_the_scan_command(capsys, ctx, library):
    library.add(3)
    library.embed(clustered_vectors(3))
    library.conn.commit()
    rc, _out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]))
    assert rc == 0 and no_playlists(ctx) in err and TRAIN_HINT.partition(", or")[0] not in err
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "2")
    assert rc == 0 and out and TRAIN_HINT.partition(", or")[0] not in err
    assert "note: the radio follows audio neighbours: " + no_playlists(ctx).removeprefix("graph: ") in err


def test_memberships_of_unanalysed_tracks_send_the_user_to_embed_first(capsys, ctx, library):
    """25 memberships, only 10 of them of tracks with an audio vector: training keeps those
    10, so ``musicsage train`` would refuse — the note says to embed, then train."""
    library.add(30)
    library.embed(clustered_vectors(10), library.ids[:10])
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids[:5] + library.ids[10:23])
    add_playlist(library.conn, "/p/b.m3u", "b", library.ids[5:10] + library.ids[23:25])
    library.conn.commit()
    rc, _out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]))
    assert rc == 0 and TRAIN_HINT.partition(", or")[0] not in err
    assert (f"needs the audio embeddings of more of its playlists' tracks first (10 of its 25 "
            f"playlist memberships are of tracks with one; at least {MIN_MEMBERSHIPS} are "
            f"needed): run `musicsage {library_option(ctx.data_dir)}embed`, then `musicsage "
            f"{library_option(ctx.data_dir)}train`") in err


def test_a_library_that_can_train_is_still_told_to_train(capsys, ctx, library):
    library.add(MIN_MEMBERSHIPS)
    library.embed(clustered_vectors(MIN_MEMBERSHIPS))
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids)
    library.conn.commit()
    rc, _out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]))
    assert rc == 0 and ("graph: no trained graph model yet (Retrain in the window, or musicsage "
                         f"{library_option(ctx.data_dir)}train)") in err
