"""One window per library, after the window switched library, and across sessions.

The window claimed its library only at start-up: once it showed the demo, ``main.py --demo``
opened a second window on the demo, and a launch on the window's own library said "brought
its window to the front" over a window showing the demo. Now the claim follows the library
shown (the window's own is kept: music added goes there), a launch on the window's own
library switches it back (not over a demo build: its line says what is shown), and the lock
is in the data dir, so a launch with another runtime dir (ssh, su) is refused in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.context import AppContext
from musicsage.gui.single_instance import LOCK_NAME, SingleInstance, claim_library

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_dir(tmp_path, monkeypatch) -> Path:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def ready_demo(where: Path) -> AppContext:
    """A one-track demo whose build is recorded as finished: opening it builds nothing (a
    demo whose library holds none of its tracks is rebuilt, so the track is scanned)."""
    import numpy as np
    import soundfile as sf

    from musicsage.demo.state import STAGES, DemoState, write_state
    from musicsage.usecases.library import scan_library

    demo = AppContext.create(where)
    music = where / "demo-music"
    music.mkdir()
    sf.write(music / "song.wav", np.zeros(8000, dtype="float32"), 8000)
    scan_library(demo, [str(music)])
    write_state(demo.data_dir, DemoState(str(music), "0123456789abcdef", 8, 0, 1.0,
                                         {stage: {} for stage in STAGES}))
    return demo


def held(data_dir: Path) -> bool:
    """Another window holds the library at ``data_dir`` (this probe could not claim it)."""
    probe = SingleInstance(data_dir)
    free = probe.claim()
    probe.release()
    return not free


def launch(data_dir: Path, qtbot, **env) -> subprocess.CompletedProcess:
    """``musicsage --data-dir DATA`` as a second launch, the window's events kept turning."""
    proc = subprocess.Popen([sys.executable, "-m", "musicsage", "--data-dir", str(data_dir)],
                            cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO),
                                               QT_QPA_PLATFORM="offscreen", **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=90_000)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def window(qtbot, make_window, ctx, tmp_path, run_dir):
    """A window on the user's library, claimed as main.py claims it, whose demo is ready."""
    demo = ready_demo(tmp_path / "demo")
    claims = claim_library(ctx.data_dir, [])
    w = make_window(ctx, demo_ctx=lambda: demo)
    claims.attach(w.app)
    yield w, demo
    claims.release()


def test_the_claim_follows_the_library_shown(qtbot, window, ctx):
    w, demo = window
    other = SingleInstance(demo.data_dir)  # another window shows the demo
    assert other.claim()
    w.app.demo.open()
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert w.app.ctx.data_dir == ctx.data_dir, "not switched to a library open elsewhere"
    level, text = w.app.notifications[-1]
    assert level == "warning" and str(demo.data_dir) in text
    assert f"already open in another window (process {os.getpid()})" in text
    other.release()

    w.app.demo.open()
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert w.app.ctx.data_dir == demo.data_dir
    assert held(demo.data_dir) and held(ctx.data_dir), "the demo's, and the window's own"
    w.app.demo.go_home()
    assert w.app.ctx.data_dir == ctx.data_dir
    assert not held(demo.data_dir), "the demo is given up once left"
    assert held(ctx.data_dir)


def test_a_launch_on_the_window_s_own_library_shows_it_again(qtbot, window, ctx):
    w, demo = window
    w.app.demo.open()
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert w.app.ctx.data_dir == demo.data_dir
    again = launch(demo.data_dir, qtbot)  # `main.py --demo`: this window, no second one
    assert again.returncode == 0, again.stderr
    assert f"already open (process {os.getpid()}); brought" in again.stdout
    assert w.app.ctx.data_dir == demo.data_dir

    again = launch(ctx.data_dir, qtbot)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (f"musicsage: the library {ctx.data_dir} is already open (process "
                            f"{os.getpid()}); brought its window to the front\n")
    assert w.app.ctx.data_dir == ctx.data_dir, "switched back to the library asked for"
    assert not held(demo.data_dir)


def test_a_launch_during_a_demo_build_says_what_the_window_shows(qtbot, make_window, ctx,
                                                                tmp_path, run_dir,
                                                                monkeypatch):
    import musicsage.controllers.demo as demo_module
    from gui_support import slow_demo_build

    monkeypatch.setattr(demo_module, "build_demo", slow_demo_build)
    demo = AppContext.create(tmp_path / "demo")
    claims = claim_library(ctx.data_dir, [])
    w = make_window(ctx, demo_ctx=lambda: demo)
    claims.attach(w.app)
    try:
        w.app.demo.open()
        qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
        assert w.app.demo.task is not None
        again = launch(ctx.data_dir, qtbot)
        assert again.returncode == 0, again.stderr
        (line,) = again.stdout.splitlines()
        assert f"its window showing {demo.data_dir}" in line and "Back to my library" in line
        assert w.app.ctx.data_dir == demo.data_dir and w.app.demo.task is not None
    finally:
        w.app.demo.go_home()
        qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=30_000)
        claims.release()


def test_a_window_of_another_session_is_found_by_the_lock_in_the_data_dir(qtbot, tmp_path):
    data = tmp_path / "library"
    runs = [tmp_path / "run1", tmp_path / "run2"]
    for run in runs:
        run.mkdir(mode=0o700)
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=str(runs[0]))
    first = subprocess.Popen([sys.executable, "-m", "musicsage", "--data-dir", str(data)],
                             cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lock = data / LOCK_NAME
        qtbot.waitUntil(lambda: lock.exists() and lock.read_text() == str(first.pid),
                        timeout=60_000)
        again = launch(data, qtbot, XDG_RUNTIME_DIR=str(runs[1]))  # ssh, su: another one
        assert again.returncode == 1
        assert again.stderr == (f"musicsage: the library {data} is already open in another "
                                f"session (process {first.pid}); close it first\n")
    finally:
        first.kill()
        first.communicate(timeout=30)


def test_music_added_from_the_demo_never_opens_a_library_held_elsewhere(qtbot, make_window,
                                                                       ctx, tmp_path, run_dir):
    """``main.py --demo`` while another window has the user's library: this window could not
    claim it, and Add music folder (or a drop) switched it there all the same — two windows
    scanning one database. Now the switch is refused in the demo switch's line, nothing is
    scanned, and the demo stays on screen."""
    demo = ready_demo(tmp_path / "demo")
    first = SingleInstance(ctx.data_dir)  # the window that has the user's library
    assert first.claim()
    claims = claim_library(demo.data_dir, [])
    w = make_window(demo, home_ctx=ctx, demo_ctx=lambda: demo)
    claims.attach(w.app)
    try:
        more = tmp_path / "more"
        more.mkdir()
        (more / "song.wav").write_bytes(b"")
        task = w.app.library.scan([str(more)])
        assert w.app.ctx.data_dir == demo.data_dir, "not switched to a library open elsewhere"
        level, text = w.app.notifications[-1]
        assert level == "warning" and str(ctx.data_dir) in text
        assert f"already open in another window (process {os.getpid()})" in text
        assert task.state == "cancelled" and not task.running, "nothing is scanned"
        assert not [job for job in w.app.runner.jobs if job.name == "Scanning"]
        assert not w.app.set_context(ctx) and w.app.ctx.data_dir == demo.data_dir
    finally:
        claims.release()
        first.release()
