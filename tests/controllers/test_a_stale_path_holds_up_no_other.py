"""One path on a network mount gone stale, dropped or given to a scan together with local
ones, held them all up: every path was looked at in turn inside the one 0.5 s the window
waits, so a local file dropped after the mount was named "no answer from the disk" and left
out, and a cancelled scan's line took every folder given for none. Each path is now its own
answer, all looked at together against that one wait; and a look that hangs keeps no entry
and starts no thread without end."""

from __future__ import annotations

import threading
import time

import numpy as np
import soundfile as sf


def _tone(path, seed: int) -> str:
    rng = np.random.default_rng(seed)
    sf.write(str(path), (0.2 * rng.standard_normal(16000)).astype("float32"), 16000,
             format="FLAC")
    return str(path)


def _shown_app(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return app, runner


def test_a_local_file_dropped_after_a_stale_mount_is_added(library, make_app, tmp_path, stale):
    from musicsage.controllers.bounded_look import DISK_WAIT_S
    from musicsage.controllers.drops import UNANSWERED

    app, runner = _shown_app(library, make_app)
    before = app.library.snapshot.stats.tracks.present
    home, mount = tmp_path / "home", tmp_path / "mount"
    home.mkdir()
    mount.mkdir()
    local = _tone(home / "local.flac", 1)
    _tone(mount / "away.flac", 2)
    stale(mount)

    started = time.monotonic()
    assert app.library.add_dropped([str(mount), local])
    took = time.monotonic() - started
    assert took < DISK_WAIT_S + 1.0, f"the window waited {took:.1f} s on the stale mount"
    assert app.notifications[-1] == ("warning", f"{UNANSWERED}: {mount}"), "the mount alone"
    runner.drain()
    assert app.library.snapshot.stats.tracks.present == before + 1, "the local file added"

    # dropped again while the mount's first look still hangs: the local file still counts
    second = _tone(home / "second.flac", 3)
    started = time.monotonic()
    assert app.library.add_dropped([str(mount), second])
    assert time.monotonic() - started < DISK_WAIT_S, "the hanging look is not waited for again"
    assert app.notifications[-1] == ("warning", f"{UNANSWERED}: {mount}")
    runner.drain()
    assert app.library.snapshot.stats.tracks.present == before + 2


def test_a_cancelled_scan_of_a_stale_mount_and_a_local_folder_names_the_folder(
        library, make_app, tmp_path, stale):
    from musicsage.controllers.scan_cancelled import FOLDER_WORDS, READ_KEPT, scan_cancelled

    app, runner = _shown_app(library, make_app)
    home, mount = tmp_path / "home", tmp_path / "mount"
    home.mkdir()
    mount.mkdir()
    _tone(home / "local.flac", 4)
    app.library.scan([str(home)])  # what the cancelled scan recorded of the local folder
    runner.drain()
    stale(mount)

    # the scan of both (switched from the demo: the library before it not known) hung on the
    # mount and was cancelled: the local folder stays, and the line says how to take it out
    scan_cancelled(app.library, None, [str(mount), str(home)], [])
    runner.drain()
    assert app.notifications[-1] == ("info", f"{READ_KEPT}; {FOLDER_WORDS}")


def test_a_look_that_hangs_leaves_no_entry_once_it_ends_and_starts_no_thread_beyond_the_bound(
        monkeypatch):
    import musicsage.controllers.bounded_look as B

    _until_no_look_goes_on(B)  # (an earlier test's hanging looks, released as it ended)
    monkeypatch.setattr(B, "MOST_HANGING", 2)
    released = threading.Event()

    def hang() -> bool:
        released.wait(10)  # until the test ends
        return True

    try:
        assert B.answer_within("test look", "/mnt/nas/x/a", hang, unanswered=False,
                               wait_s=0.05) is False
        assert B.answers_within("test look", ["/mnt/nas/y/b"], lambda _p: hang(),
                                wait_s=0.05) == {}
        assert B.still_looking("test look", "/mnt/nas/x/a")
        assert B.still_looking("test look", "/mnt/nas/y/b")
        threads = threading.active_count()
        assert B.answer_within("test look", "/mnt/nas/z/c", lambda: True, unanswered=False) is False
        assert B.answers_within("test look", ["/mnt/nas/w/d"], lambda _p: True) == {}
        assert threading.active_count() <= threads, "no thread started beyond the bound"
        assert B.answer_within("test look", "/home/me/e", lambda: True, unanswered=False), \
            "another disk is looked at all the same"
    finally:
        released.set()
    _until_no_look_goes_on(B)
    assert not B._looking, "the ended looks took their entries with them, never asked again"
    assert B.answer_within("test look", "/mnt/nas/x/a", lambda: 7, unanswered=0) == 7, \
        "looked afresh"


def _until_no_look_goes_on(bounded_look, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while bounded_look._looking and time.monotonic() < deadline:
        time.sleep(0.01)


def test_many_paths_are_each_answered_within_the_one_wait():
    from musicsage.controllers.bounded_look import answers_within

    paths = [f"/music/{i}.flac" for i in range(500)] + ["/other/x.flac"]
    started = time.monotonic()
    answers = answers_within("test many", paths, lambda p: p.upper())
    assert time.monotonic() - started < 0.5
    assert answers == {p: p.upper() for p in paths}
