"""The demo library shown, its database damaged: Open demo library (the page's way out) says
what to do, and doing it builds the demo library again from its music."""

from __future__ import annotations

from musicsage.library.db import close_thread_connections
from musicsage.usecases.demo import build_demo

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def test_open_demo_on_its_damaged_database_says_how_to_rebuild_it(ctx, make_app):
    build_demo(ctx, **TINY)
    close_thread_connections()
    for extra in ("-wal", "-shm"):
        ctx.db_path.with_name(ctx.db_path.name + extra).unlink(missing_ok=True)
    ctx.db_path.write_bytes(ctx.db_path.read_bytes()[:5000])  # cut short: malformed
    app, runner = make_app(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    app.library.reload()
    runner.drain()
    assert app.library_problem, "the window's page says the library cannot be opened"

    app.demo.open()
    level, text = app.notifications[-1]
    assert level == "error" and text == (
        f"The demo library cannot be read: move {ctx.db_path} aside, then open the demo "
        "library again to build it anew from its music")

    ctx.db_path.rename(ctx.data_dir / "aside.sqlite3")
    app.demo.open()
    runner.drain()
    assert app.notifications[-1][1].startswith("Demo library ready")
    assert app.library_problem is None and app.library.snapshot.stats.tracks.total == 8
