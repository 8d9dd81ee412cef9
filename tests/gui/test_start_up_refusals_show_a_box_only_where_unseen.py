"""A start-up refusal shows a message box only where its line on stderr goes unseen.

Started from the desktop's menu, stderr goes nowhere a user looks, so a window that cannot
start says why in a box too. But the box waited for a click in runs that nobody clicks:
``--select`` runs and the start-up benchmark (``MUSICSAGE_STARTUP_PROBE``) now hung where
they exited 1, and a terminal, which shows the line, got a box as well. And the refusals of
a library open in another window (stopped, in another session, not answering) went to
stderr only: from the menu, the window just never came.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from musicsage.gui import opening_page
from musicsage.gui.opening_page import say_cannot_start

LINE = "musicsage: cannot open the library: cannot create the library folder /x (Not a directory)"

HOLDER = r"""
import fcntl, os, sys, time
held = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(held, fcntl.LOCK_EX)
os.write(held, str(os.getpid()).encode())
print("HELD", flush=True)
time.sleep(60)
"""
"""A window of another session: it holds the library's lock, its socket is elsewhere."""


@pytest.fixture
def boxes(qtbot, monkeypatch) -> list[str]:
    """The texts of the boxes shown (each closed at once), on a platform taken to have a
    screen (the tests run offscreen, where no box is ever shown)."""
    monkeypatch.setattr(opening_page, "NO_SCREEN_PLATFORMS", frozenset())
    seen: list[str] = []
    timer = QTimer()

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()

    timer.timeout.connect(read_and_close)
    timer.start(20)
    yield seen
    timer.stop()


def test_with_stderr_unseen_the_box_says_the_line(boxes, capsys):
    say_cannot_start(LINE)
    assert boxes == ["Cannot open the library: cannot create the library folder /x (Not a "
                     "directory)"]
    assert capsys.readouterr().err == LINE + "\n"


def test_a_terminal_gets_the_line_alone(boxes, monkeypatch):
    terminal, its_end = os.openpty()
    with open(its_end, "w", encoding="utf-8") as tty:
        monkeypatch.setattr(sys, "stderr", tty)
        say_cannot_start(LINE)
        monkeypatch.undo()
    said = os.read(terminal, 4096).decode()
    os.close(terminal)
    assert boxes == []
    assert said.strip() == LINE


@pytest.mark.parametrize("how", ["--select", "MUSICSAGE_STARTUP_PROBE"])
def test_a_scripted_run_never_waits_on_a_box(qtbot, tmp_path, monkeypatch, how):
    from musicsage.gui import app as gui_app

    said: list[bool | None] = []
    monkeypatch.setattr(opening_page, "say_cannot_start",
                        lambda line, *, on_screen=None, boxed=None: said.append(on_screen))
    in_the_way = tmp_path / "not-a-folder"
    in_the_way.write_text("a file where the data dir should be")
    argv = ["--data-dir", str(in_the_way / "library")]
    if how == "--select":
        argv += ["--select", "5"]
    else:  # bench/gui_startup.py's runs
        monkeypatch.setenv(how, "1")
    assert gui_app.main(argv) == 1
    assert said == [False]


def test_a_library_open_in_another_session_is_said_in_a_box_too(boxes, tmp_path, capsys,
                                                                monkeypatch):
    from musicsage.gui.single_instance import LOCK_NAME, claim_library

    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    library = tmp_path / "library"
    library.mkdir()
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(library / LOCK_NAME)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "HELD"
        assert claim_library(library, []) == 1
    finally:
        other.kill()
        other.communicate(timeout=30)
    line = (f"the library {library} is already open in another session (process "
            f"{other.pid}); close it first")
    assert capsys.readouterr().err == f"musicsage: {line}\n"
    assert boxes == [line[0].upper() + line[1:]]


def test_a_select_run_on_a_library_another_window_holds_never_waits_on_a_box(
        boxes, tmp_path, capsys, monkeypatch):
    """``--select`` runs exited 1 on an unreadable library without a box, but still waited on
    one, with nobody to click it, where another window held the library."""
    from musicsage.gui import app as gui_app
    from musicsage.gui.single_instance import LOCK_NAME

    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    library = tmp_path / "library"
    library.mkdir()
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(library / LOCK_NAME)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "HELD"
        assert gui_app.main(["--data-dir", str(library), "--select", "5"]) == 1
    finally:
        other.kill()
        other.communicate(timeout=30)
    assert boxes == []
    assert capsys.readouterr().err.strip().endswith(
        f"is already open in another session (process {other.pid}); close it first")
