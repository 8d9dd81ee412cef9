"""Music on a network mount gone stale (the server away: a look there answers only after the
mount's timeout, minutes). Dropped on the window, or given to a scan cancelled because it
hung, it froze the window for that timeout: the drop looked whether each path exists, and the
cancelled scan's line whether each path is a folder, on the window's thread. The looks are now
bounded: the drop adds what answered and names what did not; the cancelled scan's line comes
within a second, saying what holds either way."""

from __future__ import annotations

import time

import numpy as np
import soundfile as sf


def test_a_drop_from_a_stale_mount_adds_the_rest_without_freezing(library, make_app,
                                                                   tmp_path, stale):
    from musicsage.controllers.bounded_look import DISK_WAIT_S

    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    before = app.library.snapshot.stats.tracks.present
    home, mount = tmp_path / "home", tmp_path / "mount"
    home.mkdir()
    mount.mkdir()
    tone = (0.2 * np.sin(np.arange(16000) / 7)).astype("float32")
    sf.write(str(home / "local.flac"), tone, 16000, format="FLAC")
    sf.write(str(mount / "away.flac"), tone[::-1].copy(), 16000, format="FLAC")
    stale(mount)

    started = time.monotonic()
    assert app.library.add_dropped([str(home / "local.flac"), str(mount)])
    took = time.monotonic() - started
    assert took < DISK_WAIT_S + 1.0, f"the window waited {took:.1f} s on the stale mount"
    said = ("No answer from the disk yet (a drive waking up, or a network drive away? drop it "
            f"again once the drive answers): {mount}")
    assert app.notifications[-1] == ("warning", said)

    runner.drain()
    assert app.library.snapshot.stats.tracks.present == before + 1, "the local file added"
    summary = next(text for _level, text in app.notifications if text.startswith("Scan"))
    assert summary.startswith("Scan finished: 1 new")
    assert summary.endswith("; no answer from the disk yet (a drive waking up, or a network "
                            f"drive away? drop it again once the drive answers): {mount}")


def test_a_cancelled_scan_of_a_stale_mount_says_so_without_freezing(library, make_app,
                                                                   tmp_path, stale):
    from musicsage.controllers.bounded_look import DISK_WAIT_S
    from musicsage.controllers.scan_cancelled import RESCAN_LINE, scan_cancelled

    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    mount = tmp_path / "mount"
    mount.mkdir()
    stale(mount)

    # the scan switched from the demo (the library shown before it not known), hung on the
    # mount and was cancelled: the window reads the library again, then says what was kept
    scan_cancelled(app.library, None, [str(mount)], [])
    started = time.monotonic()
    runner.drain()
    took = time.monotonic() - started
    assert took < DISK_WAIT_S + 1.0, f"the window waited {took:.1f} s on the stale mount"
    assert app.notifications[-1] == ("info", RESCAN_LINE)
