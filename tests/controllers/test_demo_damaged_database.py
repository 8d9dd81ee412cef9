"""The demo library shown, its database damaged: Open demo library (the page's way out) says
what to do, and doing it builds the demo library again from its music. A database that is
only unreadable here (a newer musicsage's) is no damage: no advice to move it aside."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from musicsage.library.db import close_thread_connections
from musicsage.usecases.demo import build_demo

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def whole_library_bytes(db_path: Path) -> bytes:
    """The library database as one file, its ``-wal`` folded in and gone: the demo's build
    leaves most of it in the ``-wal``, so the file alone, cut short, was a bare first page
    (an empty library, no damage)."""
    copy = db_path.with_name("whole.sqlite3")
    with sqlite3.connect(db_path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    for extra in ("-wal", "-shm"):
        db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
    os.replace(copy, db_path)
    return db_path.read_bytes()


def test_open_demo_on_its_damaged_database_says_how_to_rebuild_it(ctx, make_app):
    build_demo(ctx, **TINY)
    close_thread_connections()
    whole = whole_library_bytes(ctx.db_path)
    assert len(whole) > 40_000, "a library of many pages, to be cut short"
    ctx.db_path.write_bytes(whole[:len(whole) // 2])  # cut short: malformed
    app, runner = make_app(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    app.library.reload()
    runner.drain()
    assert app.library_problem, "the window's page says the library cannot be opened"

    app.demo.open()
    runner.drain()  # the read before the switch runs on a worker
    level, text = app.notifications[-1]
    name = ctx.db_path.name
    assert level == "error" and text == (
        f"The demo library's database is damaged: move {ctx.db_path} aside, with {name}-wal "
        f"and {name}-shm beside it if there, then open the demo library again to build it "
        "anew from its music")

    for extra in ("", "-wal", "-shm"):  # as the line says
        if (beside := ctx.db_path.with_name(name + extra)).exists():
            beside.rename(ctx.data_dir / f"aside{extra}")
    app.demo.open()
    runner.drain()
    assert app.notifications[-1][1].startswith("Demo library ready")
    assert app.library_problem is None and app.library.snapshot.stats.tracks.total == 8


def test_open_demo_on_a_newer_musicsage_library_keeps_it_and_says_why(ctx, make_app):
    build_demo(ctx, **TINY)
    close_thread_connections()
    with sqlite3.connect(ctx.db_path) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (9999, 'future')")
    conn.close()
    app, runner = make_app(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    app.library.reload()
    runner.drain()
    problem = app.library_problem
    assert problem and "newer" in problem

    app.demo.open()
    runner.drain()  # the read before the switch runs on a worker
    level, text = app.notifications[-1]
    assert level == "error" and text == f"The demo library cannot be opened: {problem}"
    assert "aside" not in text, "a good library of a newer musicsage is not to be moved away"


def break_tracks_table(db_path: Path) -> None:
    """Overwrite the root page of the tracks table (the file whole, its ``-wal`` folded in):
    the schema still reads, the first read of a track says "database disk image is
    malformed"."""
    whole_library_bytes(db_path)
    with sqlite3.connect(db_path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tracks'"
                            ).fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)


def test_open_demo_on_broken_table_pages_says_how_to_rebuild_it_without_waiting(ctx, make_app,
                                                                               monkeypatch):
    build_demo(ctx, **TINY)
    close_thread_connections()
    break_tracks_table(ctx.db_path)
    app, runner = make_app(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    app.library.reload()
    runner.drain()
    assert "malformed" in (app.library_problem or ""), "the read met the broken page"

    waits = []  # the busy timeout of each database the click opens: a locked one waits so long
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        waits.append(kwargs.get("timeout", 5.0))
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    app.demo.open()
    runner.drain()  # the read before the switch runs on a worker
    monkeypatch.undo()
    level, text = app.notifications[-1]
    assert level == "error" and text.startswith(
        f"The demo library's database is damaged: move {ctx.db_path} aside"), text
    assert all(wait == 0 for wait in waits), f"a locked library held the click {max(waits)} s"


def test_showing_another_library_forgets_the_damage_of_the_one_before(ctx, make_app, tmp_path):
    from musicsage.context import AppContext

    ctx.db_path.parent.mkdir(parents=True, exist_ok=True)
    ctx.db_path.write_bytes(b"not a database\n" * 512)
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert app.library_problem and app.library_damaged, "the read met a damaged database"

    other = AppContext.create(tmp_path / "other")
    assert app.set_context(other)
    assert app.library_problem is None
    assert not app.library_damaged, "no advice to move the new library's database aside"
