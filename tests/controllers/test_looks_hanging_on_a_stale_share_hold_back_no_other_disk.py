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


def _mounted(B, monkeypatch, tmp_path, *mount_points: str) -> None:
    """The kernel's mount table (as /proc/self/mountinfo writes it) lists ``mount_points``."""
    table = tmp_path / "mountinfo"
    lines = ["22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"]
    for n, point in enumerate(mount_points):
        written = point.replace("\\", "\\134").replace(" ", "\\040")
        lines.append(f"{40 + n} 22 0:{40 + n} / {written} rw - cifs //srv/share rw")
    table.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(B, "MOUNTINFO", str(table), raising=False)
    monkeypatch.setattr(B, "_mounts_read", None, raising=False)


def test_a_share_mounted_in_home_holds_back_no_music_beside_it(looks, tmp_path, monkeypatch):
    """A share at /home/me/nas and music at /home/me/Music shared the string's root
    /home/me: once the share held the bound, the local music got no answer."""
    B, hang = looks
    _mounted(B, monkeypatch, tmp_path, "/home/me/nas")
    for album in range(B.MOST_HANGING):
        B.answer_within("folder", f"/home/me/nas/a{album}", hang, unanswered=None, wait_s=0.001)
    assert B.answer_within("folder", "/home/me/Music", lambda: True, unanswered=None) is True
    held = len(B._looking)
    assert B.answer_within("folder", "/home/me/nas/one-more", hang, unanswered=None) is None
    assert len(B._looking) == held, "past the bound, the share starts no look"


@pytest.mark.parametrize("share", ["/nas", "/My Share"])
def test_a_share_mounted_one_level_deep_is_held_to_the_bound(looks, tmp_path, monkeypatch,
                                                             share):
    """A share at /nas made each artist folder its own root (/nas/artist): no bound, a
    thread hanging per folder dropped (438 for 200 folders)."""
    B, hang = looks
    _mounted(B, monkeypatch, tmp_path, share)
    for artist in range(B.MOST_HANGING):
        B.answer_within("folder", f"{share}/artist{artist}", hang, unanswered=None,
                        wait_s=0.001)
    held = len(B._looking)
    assert B.answer_within("folder", f"{share}/another", hang, unanswered=None) is None
    assert len(B._looking) == held, "past the bound, the share starts no look"


def test_past_the_backstop_no_look_starts_anywhere(looks, tmp_path, monkeypatch):
    """Where the roots are guessed wrong (no mount table), looks hanging on ever other roots
    had no bound at all; past the backstop every new look is no answer at once."""
    B, hang = looks
    monkeypatch.setattr(B, "MOUNTINFO", str(tmp_path / "no-such-table"), raising=False)
    monkeypatch.setattr(B, "_mounts_read", None, raising=False)
    monkeypatch.setattr(B, "MOST_HANGING_ANYWHERE", 4, raising=False)
    for n in range(4):
        B.answer_within("folder", f"/share{n}/artist", hang, unanswered=None, wait_s=0.001)
    held = len(B._looking)
    assert B.answer_within("folder", str(tmp_path), hang, unanswered=None) is None
    assert len(B._looking) == held, "no look starts past the backstop"


def test_a_hanging_folder_with_a_dot_holds_back_no_file_beside_it(looks):
    """A folder "Music.old" that hangs was taken for a file by its dot: the files beside
    it got no answer, though the look asked about a folder."""
    B, hang = looks
    B.answer_within("folder", "/mnt/nas/Music.old", hang, unanswered=None, wait_s=0.001)
    assert B.answer_within("queue", "/mnt/nas/song.mp3", lambda: True, unanswered=None) is True
    assert B.answer_within("queue", "/mnt/nas/Music.old/a.mp3", hang, unanswered=None) is None
