"""Issue 18 item 3: ``musicsage`` with no command opens the window, and one window per library.

Real processes (offscreen Qt): a second launch on the same library makes the first window come
forward — it answers with its pid, which the second launch prints — and exits 0; a window
killed with SIGKILL leaves its socket file behind, which does not block the next launch; another
library gets a window of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path) -> dict:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    return dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
                XDG_RUNTIME_DIR=str(run))


def paths(data: Path, env: dict):
    """The lock and socket a window of ``data`` uses (computed as the child will)."""
    from musicsage.gui import single_instance

    old = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = env["XDG_RUNTIME_DIR"]
    try:
        return single_instance.instance_paths(data)
    finally:
        if old is None:
            del os.environ["XDG_RUNTIME_DIR"]
        else:
            os.environ["XDG_RUNTIME_DIR"] = old


def open_window(data: Path, env: dict, *front: str) -> subprocess.Popen:
    """``musicsage --data-dir DATA`` (no command): a window that runs until stopped."""
    cmd = list(front) or [sys.executable, "-m", "musicsage"]
    return subprocess.Popen([*cmd, "--data-dir", str(data)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def launch_again(data: Path, env: dict, *front: str) -> subprocess.CompletedProcess:
    cmd = list(front) or [sys.executable, "-m", "musicsage"]
    return subprocess.run([*cmd, "--data-dir", str(data)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=90)


def wait_listening(window: subprocess.Popen, socket: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not socket.exists():
        assert window.poll() is None, window.communicate()
        assert time.monotonic() < deadline, "the window never started listening"
        time.sleep(0.1)


def stop(window: subprocess.Popen) -> None:
    if window.poll() is None:
        window.send_signal(signal.SIGKILL)
    window.wait(timeout=30)


def test_a_second_launch_brings_the_first_window_forward_and_exits(tmp_path, env):
    data = tmp_path / "library"
    where = paths(data, env)
    first = open_window(data, env)
    try:
        wait_listening(first, where.socket)
        for front in ((), (sys.executable, str(REPO / "main.py"))):
            again = launch_again(data, env, *front)
            assert again.returncode == 0, again.stderr
            assert f"already open (process {first.pid})" in again.stdout, again.stdout
            assert "Traceback" not in again.stderr
        assert first.poll() is None  # the first window is still there

        other = open_window(tmp_path / "other", env)  # another library: its own window
        try:
            wait_listening(other, paths(tmp_path / "other", env).socket)
            time.sleep(1)
            assert other.poll() is None
        finally:
            stop(other)
    finally:
        stop(first)


def test_a_crashed_window_does_not_block_the_next_launch(tmp_path, env):
    data = tmp_path / "library"
    where = paths(data, env)
    crashed = open_window(data, env)
    wait_listening(crashed, where.socket)
    stop(crashed)  # SIGKILL: no clean-up at all
    assert where.socket.exists() and where.lock.exists()  # what a crash leaves behind

    second = open_window(data, env)
    try:
        deadline = time.monotonic() + 60
        while where.lock.read_text().strip() != str(second.pid):  # it has claimed the library
            assert second.poll() is None, second.communicate()
            assert time.monotonic() < deadline, "the second window never claimed the library"
            time.sleep(0.1)
        again = launch_again(data, env)  # answered by the new window, not the dead socket
        assert again.returncode == 0 and f"process {second.pid}" in again.stdout, (
            again.returncode, again.stdout, again.stderr)
    finally:
        stop(second)


def test_help_still_prints_help_and_no_display_is_one_line(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    helped = subprocess.run([sys.executable, "-m", "musicsage", "--help"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "COMMAND" in helped.stdout
    headless = subprocess.run([sys.executable, "-m", "musicsage", "--data-dir",
                               str(tmp_path / "lib")], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=60)
    assert headless.returncode == 1 and "Traceback" not in headless.stderr
    (line,) = headless.stderr.strip().splitlines()
    assert line.startswith("musicsage: ") and "display" in line and "command line" in line
