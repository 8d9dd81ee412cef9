"""Folders refused past the inotify limit over several cycles of a watch (albums copied in a
quarter second apart, a cycle being half a second) were a line each cycle, each with the whole
cause, the sysctl advice and the restart advice: the cause is said once in a watch, later
refusals in a short line. Several refused in one cycle are one line that says where the
others are ("and 29 other folders" never said which)."""

from __future__ import annotations

import errno
import os
import time

import pytest
from watch_support import refuse_watches_of

from musicsage.errors import MusicsageError
from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan


@pytest.fixture
def music(tmp_path, monkeypatch):
    """A music folder in which the kernel refuses a watch for any folder named "Full…"."""
    refuse_watches_of(monkeypatch, b"/Full")
    (tmp_path / "music").mkdir()
    return tmp_path / "music"


def next_cycle_says_some(watch: FolderWatch, timeout: float = 20.0) -> None:
    """The watch loop's once-a-cycle look, until it finds the folders refused meanwhile."""
    deadline = time.monotonic() + timeout
    while not watch.look_at_limits():
        assert time.monotonic() < deadline, "no folder said past the limit"
        time.sleep(0.1)


def refused_by_now(watch: FolderWatch, count: int, timeout: float = 20.0) -> None:
    """Wait until the kernel has refused ``count`` folders that no cycle has looked at yet."""
    deadline = time.monotonic() + timeout
    while len(watch._unwatched._found) < count:
        assert time.monotonic() < deadline, "fewer folders refused than made"
        time.sleep(0.05)


def test_the_cause_is_said_in_the_first_line_only(music):
    with FolderWatch(WatchPlan(roots=[str(music)]), restart_advice="do it again") as watch:
        for i in range(3):  # one album folder a cycle
            (music / f"Full {i}").mkdir()
            next_cycle_says_some(watch)
    assert [f for f, _why in watch.not_watched] == [str(music / f"Full {i}") for i in range(3)]
    first, *later = [why for _f, why in watch.not_watched]
    assert "sysctl fs.inotify.max_user_watches" in first and first.endswith("then do it again")
    assert later == ["past the inotify limit too; raise it, then do it again"] * 2


def test_the_others_of_a_cycle_are_said_where_they_are(music, tmp_path):
    (music / "a").mkdir()
    (music / "b").mkdir()
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        for name in ("a/Full 1", "a/Full 2", "a/Full 3"):
            (music / name).mkdir()
        refused_by_now(watch, 3)  # before the cycle looks
        next_cycle_says_some(watch)
        for name in ("Full 4", "Full 5"):
            (tmp_path / name).mkdir()
        os.rename(tmp_path / "Full 4", music / "a/Full 4")
        os.rename(tmp_path / "Full 5", music / "b/Full 5")
        refused_by_now(watch, 2)
        next_cycle_says_some(watch)
    (one, beside), (four, under) = watch.not_watched
    assert one == str(music / "a/Full 1") and beside.startswith(
        "with 2 other folders beside it; cannot watch this many folders")
    assert four == str(music / "a/Full 4")
    assert under == (f"with 1 other folder under {music}; "
                     "past the inotify limit too; raise it, then restart the watch")


def test_others_in_other_music_folders_are_said_so(music, tmp_path):
    """Refused folders of two music folders: their common folder is neither music folder
    ("with 1 other folder under /" told nothing)."""
    more = tmp_path / "more"
    more.mkdir()
    with FolderWatch(WatchPlan(roots=[str(music), str(more)])) as watch:
        (music / "Full 1").mkdir()
        (more / "Full 2").mkdir()
        refused_by_now(watch, 2)
        next_cycle_says_some(watch)
    [(first, why)] = watch.not_watched
    assert first == str(more / "Full 2")  # the first in order, named
    assert why.startswith("with 1 other folder in another music folder; cannot watch")


def test_the_limit_on_instances_names_its_own_sysctl(tmp_path, monkeypatch):
    """EMFILE is the limit on inotify instances: raising max_user_watches would not help."""
    refuse_watches_of(monkeypatch, b"/Full", errno.EMFILE)
    (tmp_path / "Full music").mkdir()
    with pytest.raises(MusicsageError) as refused:
        with FolderWatch(WatchPlan(roots=[str(tmp_path / "Full music")])):
            pass
    said = str(refused.value)
    assert "sudo sysctl fs.inotify.max_user_instances=" in said
    assert "max_user_watches" not in said and "\n" not in said
