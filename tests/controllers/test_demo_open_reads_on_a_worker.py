"""Open demo library reads the demo (its state file, its manifest, a stat and two short reads
of each of its files) on a worker, not on the window's thread: on a slow disk (a network home,
a USB stick) that read froze the window for seconds — 4 s for the default demo at 5 ms an
access. The status line says so at once, and a second click waits for the same read."""

from __future__ import annotations

import time

import pytest

from musicsage.context import AppContext
from musicsage.demo import guards
from musicsage.usecases.demo import build_demo

READ_TASK = "Reading the demo library"
SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="generate", workers=1)
SLOW_DISK_S = 0.5
"""How long the look at the demo's files takes on the slow disk the tests stand in for."""


@pytest.fixture
def slow_demo(tmp_path, monkeypatch):
    """A demo whose music is rendered (its build resumes at the scan), on a slow disk: the look
    at its files takes :data:`SLOW_DISK_S`."""
    demo = AppContext.create(tmp_path / "demo")
    build_demo(demo, **SMALL)
    real = guards.music_unsound

    def slow(music):
        time.sleep(SLOW_DISK_S)
        return real(music)

    monkeypatch.setattr(guards, "music_unsound", slow)
    return demo


def test_open_returns_at_once_and_the_status_line_says_the_read(library, make_app, slow_demo,
                                                                recorder):
    app, runner = make_app(library, demo_ctx=lambda: slow_demo,
                           demo_options=dict(SMALL, until="scan"))
    started = time.perf_counter()
    app.demo.open()
    took = time.perf_counter() - started
    assert took < 0.1, f"the window's thread read the demo for {took:.2f} s"
    assert app.ctx == library, "nothing switched before the read said what to do"
    assert app.tasks.current is not None and app.tasks.current.name == READ_TASK

    runner.drain()
    assert app.ctx == slow_demo
    assert app.notifications[-1][1].startswith("Demo library ready")


def test_the_card_hears_when_the_read_begins_and_ends(library, make_app, slow_demo, recorder):
    app, runner = make_app(library, demo_ctx=lambda: slow_demo,
                           demo_options=dict(SMALL, until="scan"))
    reading = recorder(app.demo.reading)
    app.demo.open()
    assert app.demo.is_reading and reading.calls == [(True,)], "the card's button goes off"
    runner.drain()
    assert not app.demo.is_reading and reading.calls == [(True,), (False,)]


def test_a_double_click_reads_once_and_builds_once(library, make_app, slow_demo):
    app, runner = make_app(library, demo_ctx=lambda: slow_demo,
                           demo_options=dict(SMALL, until="scan"))
    app.demo.open()
    app.demo.open()  # the second click of a double click, while the read runs
    runner.drain()
    assert runner.ran.count(READ_TASK) == 1
    assert runner.ran.count("Building the demo library") == 1


def test_a_refusal_found_by_the_read_is_said_as_before(library, make_app, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo,
                           demo_options=dict(SMALL, music_dir=str(tmp_path)))
    app.demo.open()
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "error" and text.startswith("Cannot open the demo library: ")
    assert "holds the library itself" in text and app.ctx == library and not app.demo.is_reading


def _look_with(monkeypatch, during) -> None:
    """The read calls ``during()`` half-way (the user acting while it runs)."""
    from musicsage.controllers import demo as demo_controller
    from musicsage.usecases.demo_look import look_at_demo

    def look(ctx, options=None):
        during()
        return look_at_demo(ctx, options)

    look.execution = look_at_demo.execution
    monkeypatch.setattr(demo_controller, "look_at_demo", look)


def test_cancel_during_the_read_switches_nothing(library, make_app, slow_demo, monkeypatch):
    app, runner = make_app(library, demo_ctx=lambda: slow_demo,
                           demo_options=dict(SMALL, until="scan"))
    _look_with(monkeypatch, lambda: app.tasks.cancel())  # the status line's Cancel
    app.demo.open()
    runner.drain()
    assert app.ctx == library and "Building the demo library" not in runner.ran
    assert app.notifications[-1] == ("info", "Open demo library cancelled")


def test_back_home_during_the_read_stays_home(library, make_app, slow_demo, monkeypatch):
    app, runner = make_app(library, demo_ctx=lambda: slow_demo,
                           demo_options=dict(SMALL, until="scan"))
    app.demo.open()
    runner.drain()
    assert app.ctx == slow_demo
    _look_with(monkeypatch, app.demo.go_home)  # File ▸ Back to my library, while it reads
    app.demo.open()
    runner.drain()
    assert app.ctx == library, "the read's answer switched back to the demo"
