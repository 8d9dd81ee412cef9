"""Folders watchdog could not watch (the inotify limit reached) are said by the watch they
belong to, once, outermost only; watchdog's other warnings still reach the user, and its
logger is left as it was."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import time

import pytest
from watch_support import refuse_watches_of

from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan

LOGGER = "watchdog.observers.inotify"


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)


@pytest.fixture
def refuse_full(monkeypatch):
    """The kernel refuses a watch for any folder named "Full…" (as past max_user_watches)."""
    refuse_watches_of(monkeypatch, b"/Full")


def test_each_of_two_watches_says_only_its_own_folders(tmp_path, refuse_full):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    with FolderWatch(WatchPlan(roots=[str(a)])) as wa, \
            FolderWatch(WatchPlan(roots=[str(b)])) as wb:
        (b / "Full").mkdir()
        wait_for(lambda: wb.look_at_limits())
        wa.look_at_limits()
        assert [f for f, _why in wb.not_watched] == [str(b / "Full")]
        assert wa.not_watched == []
        why = wb.not_watched[0][1]
    assert "fs.inotify.max_user_watches" in why and why.endswith("then restart the watch")


def test_a_refused_tree_is_said_once_not_for_each_subfolder(tmp_path, refuse_full):
    music = tmp_path / "music"
    music.mkdir()
    for i in range(20):
        (tmp_path / f"prep/Full/cd{i}").mkdir(parents=True)
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        os.rename(tmp_path / "prep/Full", music / "Full")
        wait_for(lambda: watch.look_at_limits())
        time.sleep(0.5)
        watch.look_at_limits()
        assert [f for f, _why in watch.not_watched] == [str(music / "Full")]


def test_the_logger_is_left_as_it_was_even_when_the_watch_fails_to_start(tmp_path,
                                                                         monkeypatch):
    log = logging.getLogger(LOGGER)
    monkeypatch.setattr(log, "level", logging.ERROR)
    with FolderWatch(WatchPlan(roots=[str(tmp_path)])):
        assert log.getEffectiveLevel() == logging.WARNING  # it hears the folders refused
    assert log.level == logging.ERROR and not log.filters

    def broken(self, folders):
        raise RuntimeError("not an OSError")

    monkeypatch.setattr(FolderWatch, "_schedule", broken)
    with pytest.raises(RuntimeError):
        with FolderWatch(WatchPlan(roots=[str(tmp_path)])):
            pass
    assert log.level == logging.ERROR and not log.filters


def test_other_warnings_are_printed_and_a_folder_not_rebuilt_is_not_watched(tmp_path):
    """In a process of its own: pytest's log capture stands in for Python's own printing
    of a logger with no handler (``logging.lastResort``), which is what a user sees."""
    code = (
        "import logging\n"
        "from musicsage.library.watch_targets import UnwatchedFolders\n"
        f"log = logging.getLogger({LOGGER!r})\n"
        "heard = UnwatchedFolders().attach()\n"
        "log.warning('Inotify queue overflowed; reconciling recursive watches below %r', '/m')\n"
        "try:\n"
        "    raise OSError(28, 'No space left on device')\n"
        "except OSError:\n"
        "    log.exception('Unable to rebuild recursive inotify watches below %r', b'/m')\n"
        "heard.detach()\n"
        "print(heard.take())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=os.getcwd())
    assert done.stdout.strip() == "['/m']"  # said by the watch as not watched
    assert "Inotify queue overflowed" in done.stderr  # printed as without the watch
    assert "Unable to rebuild" not in done.stderr and "Traceback" not in done.stderr


def test_many_folders_refused_at_once_are_one_line_with_the_cause_said_once(tmp_path,
                                                                            refuse_full):
    """30 albums copied in past the limit were 30 lines, each with the same sysctl advice."""
    music = tmp_path / "music"
    music.mkdir()
    with FolderWatch(WatchPlan(roots=[str(music)]), restart_advice="do it again") as watch:
        for i in range(30):
            (tmp_path / f"Full {i:02}").mkdir()
        for i in range(30):
            os.rename(tmp_path / f"Full {i:02}", music / f"Full {i:02}")
        wait_for(lambda: len(watch._unwatched._found) >= 30)
        watch.look_at_limits()
        assert watch.not_watched == [(str(music / "Full 00"), watch.not_watched[0][1])]
        why = watch.not_watched[0][1]
        assert why.startswith("with 29 other folders beside it; cannot watch this many folders")
        assert why.count("sysctl") == 1 and why.endswith("then do it again")
        (music / "Full 00/cd1").mkdir()  # inside one said already: not said again
        time.sleep(0.5)
        assert not watch.look_at_limits()


def test_a_folder_refused_when_the_music_folders_change_says_how_to_start_again(
        tmp_path, refuse_full):
    music, full = tmp_path / "music", tmp_path / "Full"
    music.mkdir()
    full.mkdir()
    plan = WatchPlan(roots=[str(music)])
    with FolderWatch(plan, restart_advice="do it again") as watch:
        plan.roots.append(str(full))
        watch.refollow()
        assert [f for f, _why in watch.not_watched] == [str(full)]
        assert watch.not_watched[0][1].endswith("then do it again")


def test_a_rebuild_that_failed_for_another_reason_is_not_said_as_the_limit():
    """Only ENOSPC/EMFILE are the inotify limit: a folder gone meanwhile (ENOENT) is not."""
    from musicsage.library.watch_targets import UnwatchedFolders

    log = logging.getLogger(LOGGER)
    heard = UnwatchedFolders().attach()
    try:
        for err in (errno.ENOENT, errno.ENOSPC):
            try:
                raise OSError(err, os.strerror(err))
            except OSError:
                log.exception("Unable to rebuild recursive inotify watches below %r",
                              f"/m{err}".encode())
    finally:
        heard.detach()
    assert heard.take() == [f"/m{errno.ENOSPC}"]
