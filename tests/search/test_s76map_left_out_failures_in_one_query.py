"""``map``'s note on tracks left off for want of a vector asked the library once per track
why its file gave none (~2 s for 90,000 tracks left out): it now asks once for all of them,
and says the same — each track's newest failure, a failed analysis older than the track's
last change not counted, missing files and tracks without a file not asked about."""

from __future__ import annotations

import json

from search_helpers import AUDIO_MODEL, add_track, clustered_vectors, run_cli

from musicsage.library.queries import read_failure, record_error, track_summaries


def _left_out(capsys, ctx) -> str:
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio", "--json")
    assert rc == 0, err
    return json.loads(out)["audio"]["no_vector"]


def _errors_asked(library, capsys, ctx) -> tuple[str, int]:
    """The note, and how many statements read the errors table while ``map`` ran."""
    asked: list[str] = []
    library.conn.set_trace_callback(asked.append)
    try:
        said = _left_out(capsys, ctx)
    finally:
        library.conn.set_trace_callback(None)
    return said, sum("FROM errors" in s for s in asked)


def test_failures_of_many_tracks_are_read_in_one_query(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    new = library.add(40, start=100)
    paths = dict(library.conn.execute("SELECT id, path FROM tracks"))
    for t in new[::4]:
        record_error(library.conn, paths[t], f"embed:{AUDIO_MODEL}", f"t{t}: unreadable",
                     track_id=t)
    library.conn.commit()
    said, queries = _errors_asked(library, capsys, ctx)
    assert "40 tracks left out" in said and "10 of them" in said, said
    assert queries <= 1, f"{queries} queries of the errors table for 40 tracks"


def test_each_track_is_told_what_it_was_told_one_by_one(library):
    """The batch says of each track what :func:`read_failure` says of it alone."""
    from musicsage.library.map_left_out import failed_reads

    conn = library.conn
    ids = library.add(8, start=200)
    ids.append(add_track(conn, "dataset:/data/ds#0", title="T", artist="A"))
    ids.append(add_track(conn, "/music/odd/\u00e9t\u00e9 \U0001f3b5.wav", title="U", artist="A"))
    paths = dict(conn.execute("SELECT id, path FROM tracks"))
    stage = f"embed:{AUDIO_MODEL}"
    record_error(conn, paths[ids[0]], stage, "analysis failed")
    record_error(conn, paths[ids[1]], "scan", "scan failed")
    record_error(conn, paths[ids[2]], "scan", "scan failed first")
    conn.execute("UPDATE errors SET created_at = '2000-01-01' WHERE path = ?", (paths[ids[2]],))
    record_error(conn, paths[ids[2]], stage, "analysis failed later")
    record_error(conn, paths[ids[3]], stage, "before the file changed")
    conn.execute("UPDATE errors SET created_at = '2000-01-01' WHERE path = ?", (paths[ids[3]],))
    record_error(conn, paths[ids[4]], stage, "missing now")
    library.set_missing(ids[4])
    record_error(conn, paths[ids[5]], "embed:other-model", "another model's")
    record_error(conn, paths[ids[-1]], stage, "odd name")
    rows = list(track_summaries(conn, ids).values())
    alone = [read_failure(conn, [r["path"]], AUDIO_MODEL)
             if r["status"] == "present" and r["path"].startswith("/") else None for r in rows]
    batch = failed_reads(conn, rows, AUDIO_MODEL)
    assert [f and tuple(f[k] for k in ("stage", "message")) for f in batch] == \
        [f and tuple(f) for f in alone]
    assert [f and f["message"] for f in batch].count(None) == len(rows) - 4
