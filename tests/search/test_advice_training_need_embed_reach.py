"""``models`` and ``similar`` advised "run `musicsage embed`, then `musicsage train`" for a
library whose playlist tracks without a vector no embed can analyse now (imported from a
dataset dir without a file, missing files, files whose analysis failed): embed did nothing
for them and the line came back the same. The advice now follows the rule of
:func:`musicsage.usecases.left_out_notes.reanalysis_tail`: embed only where it has something
to analyse now. And a library whose only shared playlist is shared with tracks without a
vector was told to train, which refused: "no shared playlist" counts the memberships training
keeps."""

from __future__ import annotations

from search_helpers import add_playlist, clustered_vectors, run_cli

from musicsage.graph.reports import MIN_MEMBERSHIPS
from musicsage.library.queries import record_error
from musicsage.context import library_option

EMBED = "run `musicsage embed`"


def _ten_of_twenty_five_embedded(library) -> list[int]:
    """25 memberships, 10 of them of tracks with an audio vector; the 15 others returned."""
    library.add(30)
    library.embed(clustered_vectors(10), library.ids[:10])
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids[:5] + library.ids[10:23])
    add_playlist(library.conn, "/p/b.m3u", "b", library.ids[5:10] + library.ids[23:25])
    library.conn.commit()
    return library.ids[10:25]


def _embed(ctx) -> str:
    """:data:`EMBED` as the command line says it of ``ctx``'s library."""
    return EMBED.replace("musicsage ", f"musicsage {library_option(ctx.data_dir)}")


def _models_line(capsys, ctx) -> str:
    rc, out, _err = run_cli(capsys, ctx, "models")
    assert rc == 0
    return out.strip()


def test_missing_files_are_not_sent_to_embed(capsys, ctx, library):
    for track_id in _ten_of_twenty_five_embedded(library):
        library.set_missing(track_id)
    library.conn.commit()
    line = _models_line(capsys, ctx)
    assert line.startswith("no graph models yet: training one needs")
    assert "embed`" not in line and "embed cannot analyse" in line
    assert line.endswith("put more tracks in playlists, or, once the missing files are back, "
                         f"a rescan (`musicsage {library_option(ctx.data_dir)}scan`) and an "
                         "embed analyse them")


def test_tracks_without_a_file_and_failed_files_are_not_sent_to_embed(capsys, ctx, library):
    others = _ten_of_twenty_five_embedded(library)
    for track_id in others[:10]:  # imported from a dataset dir: no file path
        library.conn.execute("UPDATE tracks SET path = ? WHERE id = ?",
                             (f"dataset:{track_id}", track_id))
    for track_id in others[10:]:  # their analysis failed since they last changed
        path = library.conn.execute("SELECT path FROM tracks WHERE id = ?",
                                    (track_id,)).fetchone()[0]
        record_error(library.conn, path, "embed:spectral-test", "could not decode")
    library.conn.commit()
    line = _models_line(capsys, ctx)
    assert "embed`" not in line and "embed cannot analyse" in line


def test_one_track_an_embed_can_analyse_keeps_the_advice(capsys, ctx, library):
    for track_id in _ten_of_twenty_five_embedded(library)[1:]:
        library.set_missing(track_id)
    library.conn.commit()
    told = library_option(ctx.data_dir)
    assert _models_line(capsys, ctx).endswith(f"{_embed(ctx)}, then `musicsage {told}train`")


def test_no_vector_at_all_and_nothing_to_analyse(capsys, ctx, library):
    library.add(MIN_MEMBERSHIPS + 1)
    library.embed(clustered_vectors(1), library.ids[-1:])  # (another track: a model is known)
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids[:-1])
    for track_id in library.ids[:-1]:
        library.set_missing(track_id)
    library.conn.commit()
    line = _models_line(capsys, ctx)
    assert "embed`" not in line and "embed cannot analyse" in line
    assert "needs playlist tracks with audio embeddings" in line


def _shared_only_with_unanalysed(library) -> None:
    """30 analysed tracks, each alone in a playlist, and one playlist that holds one of them
    beside a track without a vector: the only shared playlist is one training cannot use."""
    library.add(31)
    library.embed(clustered_vectors(30), library.ids[:30])
    for i, track_id in enumerate(library.ids[:30]):
        add_playlist(library.conn, f"/p/{i}.m3u", f"p{i}", [track_id])
    add_playlist(library.conn, "/p/two.m3u", "two", [library.ids[0], library.ids[30]])
    library.conn.commit()


def test_a_playlist_shared_with_an_unanalysed_track_is_not_a_shared_playlist(capsys, ctx,
                                                                             library):
    _shared_only_with_unanalysed(library)
    line = _models_line(capsys, ctx)
    assert "needs playlists of at least two tracks with audio embeddings" in line
    assert "train one with `musicsage" not in line
    assert line.endswith(f"{_embed(ctx)}, then `musicsage {library_option(ctx.data_dir)}train` (or train with --objective dgi, "
                         "which needs none)")


def test_without_a_file_to_analyse_embed_is_not_named_there(capsys, ctx, library):
    _shared_only_with_unanalysed(library)
    library.set_missing(library.ids[30])
    library.conn.commit()
    line = _models_line(capsys, ctx)
    assert "needs playlists of at least two tracks with audio embeddings" in line
    assert EMBED not in line
