"""A drive unmounted from a folder inside a watched music folder, or mounted over a folder
that held scanned music (hiding its files), was said "3 now missing ('a.wav' and 2 more)", as
if the files had been deleted, in the terminal's line and the window's alike. The watch knows
the mount point from the kernel's mount table (:mod:`musicsage.library.watch_mounts`): the
line names it, and says the tracks are kept."""

from __future__ import annotations

import shutil
import threading

from library_audio import write_audio
from mounts_support import drive_on, scanned_with_a_track_on, unmount, until
from watch_support import watch_running

from musicsage.controllers.summaries import describe_watch
from musicsage.library import watch_mounts
from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

LINE = "{n} 1 0:{n} / {point} rw - {fs} {src} rw\n"


def _batch_after(watch, table, text):
    """The batch the watch takes once the mount table reads ``text``."""
    table.write_text(text)
    watch.look_at_roots()
    return watch.pending.take(quiet=0.0, max_wait=0.0, timeout=1.0)


def test_drives_mounted_and_unmounted_are_named(ctx, tmp_path, monkeypatch):
    """Where no drive can be mounted: the files go and come as a drive's do, the table
    changes as a mount makes it change."""
    from musicsage.library.watch import FolderWatch
    from musicsage.library.watch_apply import WatchPlan, apply_changes

    music = tmp_path / "music"
    for name in ("here.wav", "usb/a.wav", "usb/b.wav", "usb/c.wav", "old/o1.wav", "old/o2.wav"):
        write_audio(music / name, seconds=0.3, freq=300.0 + 20 * len(name))
    conn = connect(ctx)
    scan_roots(conn, resolve_roots([str(music)]))
    table = tmp_path / "mountinfo"
    root = LINE.format(n=1, point="/", fs="ext4", src="/dev/sda1")
    usb = LINE.format(n=2, point=f"{music}/usb", fs="vfat", src="/dev/sdb1")
    table.write_text(root + usb)
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    plan = WatchPlan(roots=[str(music)])
    with FolderWatch(plan) as watch:
        watch.look_at_roots()
        for name in ("a.wav", "b.wav", "c.wav"):  # the drive unplugged: its bare mount point
            (music / "usb" / name).unlink()
        rep = apply_changes(conn, plan, _batch_after(watch, table, root))
        said = (f"a drive unmounted from {music}/usb: 3 tracks kept, marked missing until it "
                "is mounted again")
        assert rep.summary() == said
        assert describe_watch(rep) == (f"Folder watch: {said}", "warning")
        assert rep.to_dict()["drives"] == [{"mount_point": f"{music}/usb", "mounted": False,
                                            "missing_tracks": 3, "back_tracks": 0}]

        hidden = tmp_path / "hidden"  # a drive mounted over old/: its files out of sight
        shutil.move(music / "old", hidden)
        (music / "old").mkdir()
        over = LINE.format(n=3, point=f"{music}/old", fs="vfat", src="/dev/sdc1")
        rep = apply_changes(conn, plan, _batch_after(watch, table, root + over))
        said = (f"a drive mounted on {music}/old: it hides the 2 tracks that were there "
                "(kept, marked missing until it is unmounted)")
        assert rep.summary() == said
        assert describe_watch(rep) == (f"Folder watch: {said}", "warning")

        (music / "old").rmdir()  # unmounted: the files are there again
        shutil.move(hidden, music / "old")
        rep = apply_changes(conn, plan, _batch_after(watch, table, root))
        said = f"a drive unmounted from {music}/old: 2 tracks back"
        assert rep.summary() == said
        assert describe_watch(rep) == (f"Folder watch: {said}", "info")
        assert not plan.drives  # each said once


def test_a_real_drive_unmounted_is_named(ctx, music):
    """With a real drive (root, a kernel that allows mounting): the watch's own line."""
    lines, seen = [], threading.Event()

    def heard(rep) -> None:
        if not rep.empty:
            lines.append(rep.summary())
            seen.set()

    with drive_on(music / "usb") as usb:
        scanned_with_a_track_on(ctx, music, usb)
        with watch_running(ctx, on_batch=heard):
            unmount(usb, check=True)
            until(ctx, {"here.wav": "present", "t.wav": "missing"})
            assert seen.wait(20.0)
    assert lines == [f"a drive unmounted from {usb}: 1 track kept, marked missing until it is "
                     "mounted again"]
