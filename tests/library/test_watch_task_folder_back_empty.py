"""A watched music folder deleted (or renamed away), then made again empty — by hand, by a
sync tool, or an automounter's bare folder — was said "~/Music is back", though none of its
tracks was: they all stayed missing. Nothing is back until a track is; once its files are
there again they are said back."""

from __future__ import annotations

import shutil

from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots


def _next(watch):
    watch.look_at_roots()
    return watch.pending.take(quiet=0.3, max_wait=5.0, timeout=5.0)


def test_a_music_folder_made_again_empty_is_not_back(ctx, tmp_path):
    from musicsage.library.watch import FolderWatch
    from musicsage.library.watch_apply import WatchPlan, apply_changes

    music, kept = tmp_path / "music", tmp_path / "kept"
    for name in ("a.wav", "b.wav"):
        write_audio(music / name, seconds=0.3, freq=300.0 + 40 * len(name))
    conn = connect(ctx)
    scan_roots(conn, resolve_roots([str(music)]))
    plan = WatchPlan(roots=[str(music)])
    with FolderWatch(plan) as watch:
        watch.look_at_roots()
        shutil.move(music, kept)
        rep = apply_changes(conn, plan, _next(watch))
        assert rep.summary().startswith(f"{music} is gone"), rep.summary()
        music.mkdir()  # made again, empty
        rep = apply_changes(conn, plan, _next(watch))
        assert rep.back_roots == [] and "back" not in rep.summary(), rep.summary()
        statuses = dict(conn.execute("SELECT path, status FROM tracks"))
        assert set(statuses.values()) == {"missing"}
        for name in ("a.wav", "b.wav"):  # its files put back
            shutil.copy2(kept / name, music / name)
        rep = apply_changes(conn, plan, _next(watch))
        assert rep.scan.reappeared == 2 and "back" in rep.summary(), rep.summary()
