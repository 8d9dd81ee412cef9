"""Open demo library makes the demo's context on the read's worker, not on the window's
thread: making it stats the demo's folder and every folder above it (about 40 stats), probes
a lock beside its database and, on a first open, makes its folders. On a network home gone
stale one stat hangs for the mount's timeout, and the click froze the window for it before
the read began. ``showing_demo`` is told from what the read left: it read every demo file,
and made the demo's context again, at each call."""

from __future__ import annotations

import time

from musicsage.context import AppContext
from musicsage.controllers import demo as demo_controller
from musicsage.errors import MusicsageError
from musicsage.usecases import demo as demo_usecase

SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="generate", workers=1)
SLOW_DISK_S = 0.5
"""How long making the demo's context takes on the slow disk the tests stand in for."""


def test_the_click_returns_before_the_demo_s_folder_is_looked_at(library, make_app, tmp_path):
    made: list[float] = []

    def slow_demo_ctx() -> AppContext:
        time.sleep(SLOW_DISK_S)  # the stats of a slow disk
        made.append(time.perf_counter())
        return AppContext.create(tmp_path / "demo")

    app, runner = make_app(library, demo_ctx=slow_demo_ctx, demo_options=SMALL)
    started = time.perf_counter()
    app.demo.open()
    took = time.perf_counter() - started
    assert took < 0.1, f"the window's thread looked at the demo's folder for {took:.2f} s"
    assert made == [], "the demo's context was made on the window's thread"
    assert app.demo.is_reading and app.ctx == library
    runner.drain()  # the read's worker makes it, then the build runs
    assert len(made) == 1 and app.ctx.data_dir == tmp_path / "demo"


def test_a_demo_folder_that_cannot_be_made_is_refused_after_the_read(library, make_app):
    def refused() -> AppContext:
        raise MusicsageError("the demo's library folder /mnt/usb/demo is a link to nowhere: "
                             "nothing was created; mount the drive, or give --data-dir a "
                             "folder for the demo's library")

    app, runner = make_app(library, demo_ctx=refused, demo_options=SMALL)
    app.demo.open()
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "error" and text.startswith("Cannot open the demo library: the demo's")
    assert "start musicsage with `--data-dir FOLDER --demo`" in text  # the window's way on
    assert app.ctx == library and not app.demo.is_reading and not app.demo.building


def test_showing_demo_asks_no_disk(library, make_app, tmp_path, monkeypatch):
    demo = AppContext.create(tmp_path / "demo")
    made = []
    app, runner = make_app(demo, demo_ctx=lambda: made.append(1) or demo, home_ctx=demo,
                           demo_options=dict(SMALL, until="scan"))  # `--data-dir D --demo`
    assert not app.demo.showing_demo, "no demo read or built there yet"
    app.demo.open()
    runner.drain()
    assert app.ctx == demo and len(made) == 1

    def no_read(*_args, **_kwargs):
        raise AssertionError("showing_demo read the demo's files")

    monkeypatch.setattr(demo_usecase, "demo_status", no_read)
    monkeypatch.setattr(demo_controller, "demo_status", no_read, raising=False)
    assert app.demo.showing_demo, "the library Open demo library built the demo in"
    assert len(made) == 1, "showing_demo made the demo's context again"


def test_showing_demo_is_false_for_the_user_s_own_library(library, make_app, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=dict(SMALL, until="scan"))
    assert not app.demo.showing_demo
    app.demo.open()
    runner.drain()
    assert app.demo.showing_demo
    app.demo.go_home()
    assert app.ctx == library and not app.demo.showing_demo
