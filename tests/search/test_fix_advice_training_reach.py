"""What training's advice says of a library read from its database, as the review of the
training-reach advice found it: the reach was read one playlist track at a time (every
window reload of a library whose analyses mostly failed slowed down); with no vector at all
every failed analysis passed for one an embed could redo; ``train`` still named embed for
failed analyses that ``models`` told apart; "or run embed" was said where an embed could
only give vectors to tracks alone in their playlists; an unplugged drive's tracks were told
"put more tracks in playlists" alone; and nothing checked that the window's snapshot reads
the reach at all."""

from __future__ import annotations

import pytest
from search_helpers import AUDIO_MODEL, add_playlist, clustered_vectors, run_cli

from musicsage.library.queries import record_error
from hints_told_support import as_default

EMBED = "run `musicsage embed`"
BACK = "once the missing files are back, a rescan (`musicsage scan`) and an embed analyse them"


def _fail(library, track_ids, stage: str = f"embed:{AUDIO_MODEL}") -> None:
    """Their analysis failed (``stage``) since they last changed."""
    for track_id in track_ids:
        path = library.conn.execute("SELECT path FROM tracks WHERE id = ?",
                                    (track_id,)).fetchone()[0]
        record_error(library.conn, path, stage, "could not decode")
    library.conn.commit()


def _ten_analysed_and_others(library, others: int = 15) -> list[int]:
    """10 analysed tracks and ``others`` without a vector in two playlists; those returned."""
    library.add(10 + others)
    library.embed(clustered_vectors(10), library.ids[:10])
    half = 10 + others // 2
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids[:5] + library.ids[10:half])
    add_playlist(library.conn, "/p/b.m3u", "b", library.ids[5:10] + library.ids[half:])
    library.conn.commit()
    return library.ids[10:]


def _models_line(capsys, ctx) -> str:
    rc, out, _err = run_cli(capsys, ctx, "models")
    assert rc == 0
    return as_default(out, ctx.data_dir).strip()


def test_the_reach_is_a_few_queries_however_many_analyses_failed(ctx, library):
    from musicsage.usecases.training_reach import command_line_need

    _fail(library, _ten_analysed_and_others(library, others=300))
    statements: list[str] = []
    library.conn.set_trace_callback(statements.append)
    try:
        why = command_line_need(ctx)
    finally:
        library.conn.set_trace_callback(None)
    assert why is not None and "embed cannot analyse" in why
    assert len(statements) < 40  # one query per failed track: more than 300


def test_with_no_vector_at_all_failed_analyses_are_not_sent_to_embed(capsys, ctx, library):
    library.add(25)
    add_playlist(library.conn, "/p/a.m3u", "a", library.ids[:13])
    add_playlist(library.conn, "/p/b.m3u", "b", library.ids[13:])
    _fail(library, library.ids, "embed:spectral")  # every file fails: no decoder
    line = _models_line(capsys, ctx)
    assert EMBED not in line and "embed cannot analyse" in line


def test_train_does_not_name_embed_for_failed_analyses(library):
    from musicsage.errors import MusicsageError
    from musicsage.graph.data import GraphData
    from musicsage.graph.split_checks import require_memberships

    others = _ten_analysed_and_others(library)
    _fail(library, others)
    data = GraphData.from_library(library.conn, AUDIO_MODEL)
    assert data.embeddable_left_out == 0
    with pytest.raises(MusicsageError) as refused:
        require_memberships(data)
    assert "(embed)" not in str(refused.value)
    _fail(library, others[:1], "embed:another-model")  # another model's failure: no matter
    library.conn.execute("DELETE FROM errors WHERE path = (SELECT path FROM tracks WHERE id = ?)"
                         " AND stage = ?", (others[0], f"embed:{AUDIO_MODEL}"))
    assert GraphData.from_library(library.conn, AUDIO_MODEL).embeddable_left_out == 1


def _analysed_alone_in_playlists(library) -> None:
    """30 analysed tracks, each alone in a playlist; 'two' pairs #0 with a missing file; one
    more track, present and not analysed, alone in its playlist: an embed gives it a vector,
    but no playlist then holds two analysed tracks."""
    library.add(32)
    library.embed(clustered_vectors(30), library.ids[:30])
    for i, track_id in enumerate(library.ids[:30]):
        add_playlist(library.conn, f"/p/{i}.m3u", f"p{i}", [track_id])
    add_playlist(library.conn, "/p/two.m3u", "two", [library.ids[0], library.ids[30]])
    library.set_missing(library.ids[30])
    add_playlist(library.conn, "/p/lone.m3u", "lone", [library.ids[31]])
    library.conn.commit()


def test_embed_is_not_named_where_it_cannot_make_a_shared_playlist(capsys, ctx, library):
    _analysed_alone_in_playlists(library)
    line = _models_line(capsys, ctx)
    assert "needs playlists of at least two tracks with audio embeddings" in line
    assert EMBED not in line and BACK in line  # the missing one, once back, would pair
    add_playlist(library.conn, "/p/pair.m3u", "pair", [library.ids[1], library.ids[31]])
    library.conn.commit()  # now an embed of the lone track makes 'pair' hold two
    assert EMBED in _models_line(capsys, ctx)


def test_an_unplugged_drive_is_told_to_come_back_in_the_window_too(ctx, library):
    from musicsage.controllers.training import retrain_blocked
    from musicsage.usecases.snapshot import load_snapshot

    for track_id in _ten_analysed_and_others(library):
        library.set_missing(track_id)
    library.conn.commit()
    snap = load_snapshot(ctx)
    assert snap.training_reach["embeddable"] is False and snap.training_reach["missing"]
    blocked = retrain_blocked(snap)
    assert "use Analyse ▸ Compute embeddings" not in blocked
    assert blocked.endswith("once the missing files are back, a rescan (File ▸ Rescan) and "
                            "Analyse ▸ Compute embeddings analyse them")


def test_the_window_snapshot_reads_the_reach(ctx, library):
    from musicsage.controllers.training import retrain_blocked
    from musicsage.usecases.snapshot import load_snapshot

    _fail(library, _ten_analysed_and_others(library))
    blocked = retrain_blocked(load_snapshot(ctx))
    assert "an embed cannot analyse" in blocked and "Compute embeddings" not in blocked
    library.conn.execute("DELETE FROM errors")
    library.conn.commit()
    snap = load_snapshot(ctx)
    assert snap.training_reach["embeddable"] and snap.training_reach["shared"]
    assert "use Analyse ▸ Compute embeddings, then Retrain" in retrain_blocked(snap)


def test_missing_files_that_would_pair_with_no_track_are_not_sent_back(capsys, ctx, library):
    library.add(32)
    library.embed(clustered_vectors(30), library.ids[:30])
    for i, track_id in enumerate(library.ids[:30]):
        add_playlist(library.conn, f"/p/{i}.m3u", f"p{i}", [track_id])
    add_playlist(library.conn, "/p/two.m3u", "two", library.ids[30:])
    library.set_missing(library.ids[30])  # beside a track whose analysis failed: once back,
    _fail(library, library.ids[31:])  # still no playlist holds two analysed tracks
    line = _models_line(capsys, ctx)
    assert "needs playlists of at least two tracks with audio embeddings" in line
    assert EMBED not in line and BACK not in line
