"""Looks that hang on a network share gone stale held back every later look once 32 hung:
after a few drops from the share, a drop of local files said "No answer from the disk" and
dropping again never helped, and a cancelled scan took every local folder for none. Now a
look that hangs holds back only what is on the share: paths under it, files beside its file
(one thread per stale folder), and, past the bound, paths under the share's root."""

from __future__ import annotations

import threading
import time

import pytest

HANG_S = 10
"""How long a look at the stale share hangs (the test's end releases it sooner)."""


@pytest.fixture
def looks():
    """The bounded look module, with no look of an earlier test going on, and a ``hang``
    look that answers only once the test ends."""
    import musicsage.controllers.bounded_look as B

    _until_no_look_goes_on(B)
    released = threading.Event()

    def hang(_path: str = "") -> str:
        released.wait(HANG_S)
        return "late"

    yield B, hang
    released.set()
    _until_no_look_goes_on(B)


def _until_no_look_goes_on(bounded_look, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while bounded_look._looking and time.monotonic() < deadline:
        time.sleep(0.01)


def test_forty_looks_hanging_on_a_share_leave_a_local_drop_added_at_once(looks, tmp_path):
    from musicsage.controllers.drops import MUSIC, dropped_kinds
    from musicsage.controllers.scan_cancelled import _folders_given

    B, hang = looks
    for album in range(40):  # drops from forty folders of the share, each left hanging
        B.answers_within("drop", [f"/mnt/nas/album{album}/{t}.mp3" for t in range(3)], hang,
                         wait_s=0.01)
    assert len(B._looking) >= B.MOST_HANGING, "the share holds the bound's looks"

    song = tmp_path / "Music" / "song.mp3"
    song.parent.mkdir()
    song.write_bytes(b"ID3")
    started = time.monotonic()
    assert dropped_kinds([str(song)]) == {str(song): MUSIC}, "the local drop is looked at"
    assert time.monotonic() - started < B.DISK_WAIT_S
    assert _folders_given([str(song.parent)]) == [True], "a cancelled scan's local folder"
    assert B.answer_within("folder", str(tmp_path), lambda: True, unanswered=None) is True


def test_a_stale_folder_holds_one_look_and_the_share_no_more_than_the_bound(looks):
    B, hang = looks
    assert B.answers_within("drop", ["/mnt/nas/album/1.mp3"], hang, wait_s=0.01) == {}
    threads = threading.active_count()
    started = time.monotonic()
    assert B.answers_within("drop", [f"/mnt/nas/album/{t}.mp3" for t in range(2, 30)], hang) == {}
    assert B.answer_within("queue", "/mnt/nas/album/cover.jpg", hang, unanswered=None) is None
    assert time.monotonic() - started < 0.2, "files beside a hanging one are not waited for"
    assert threading.active_count() <= threads + 1, "one thread per stale folder at most"

    for album in range(B.MOST_HANGING):
        B.answer_within("folder", f"/mnt/nas/a{album}", hang, unanswered=None, wait_s=0.001)
    held = len(B._looking)
    assert B.answer_within("folder", "/mnt/nas/one-more", hang, unanswered=None) is None
    assert len(B._looking) == held, "past the bound, the share starts no look"
