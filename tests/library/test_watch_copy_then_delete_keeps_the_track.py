"""A move the folder watch sees as a copy, then a delete (a move to another disk, many file
managers, ``cp a b && rm a``): the copy's batch adds a track, the delete's batch comes later.
A guard, not a fix's test (it passed before this file was written): the delete's batch folds
the copy into the original (:func:`~musicsage.library.copy_moves.fold_copies_into_moves`, run
by the scan every batch is), so the song keeps its id, vectors and playlist place, no missing
twin is left for ``forget --missing``, and a plain ``scan`` afterwards agrees. The copy's
own analysis, made by its batch before the delete was known, is the one extra cost."""

from __future__ import annotations

import shutil

from library_audio import write_audio
from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library


def _rows(ctx) -> tuple[list, list, list]:
    conn = connect(ctx)
    return ([tuple(r) for r in conn.execute("SELECT id, path, status FROM tracks ORDER BY id")],
            [r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings ORDER BY 1")],
            [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries")])


def test_a_copy_then_a_delete_in_two_batches_is_one_move(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "a" / "song.wav", seconds=0.3, freq=330.0)
    write_audio(music / "a" / "other.wav", seconds=0.3, freq=550.0)
    (music / "b").mkdir()
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'a' / 'song.wav'}\n", encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    embed_library(ctx, "spectral")
    (tid,) = connect(ctx).execute("SELECT id FROM tracks WHERE path LIKE '%/song.wav'"
                                  ).fetchone()
    other = [t for t, _p, _s in _rows(ctx)[0] if t != tid]
    watch = Watching(ctx)
    try:
        shutil.copy2(music / "a" / "song.wav", music / "b" / "song.wav")
        wait_until(lambda: any(r.scan.added for r in watch.reports), "the copy's batch")
        copied = len(watch.reports)
        (music / "a" / "song.wav").unlink()
        wait_until(lambda: len(watch.reports) > copied, "the delete's batch")
    finally:
        watch.stop()

    assert [r.summary() for r in watch.reports if not r.empty] == [
        "1 new ('song.wav'), 1 embedded", "1 moved ('song.wav')"]
    tracks, vectors, entries = _rows(ctx)
    assert tracks == sorted([*((t, str(music / "a" / "other.wav"), "present") for t in other),
                             (tid, str(music / "b" / "song.wav"), "present")])
    assert vectors == sorted([*other, tid]), "its own vector kept, nothing left to analyse"
    assert entries == [tid], "its playlist place kept"
    again = scan_library(ctx)  # a plain scan agrees with the watch
    assert (again.added, again.updated, again.moved, again.missing) == (0, 0, 0, 0)
