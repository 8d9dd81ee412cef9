"""A drive mounted on a folder inside a watched music folder (``~/Music/NAS`` from fstab;
``/media/me/USB`` when ``/media/me`` is the music folder). inotify follows inodes, not paths:
unmounting the drive ended the watches on its folders without one event, so its tracks stayed
"present" with their files gone; mounted again, the drive's files were never seen (the watch
observed the bare folder underneath), nor a file copied onto it later. The kernel's mount
table tells the watch (:mod:`musicsage.library.watch_mounts`)."""

from __future__ import annotations

from library_audio import write_audio
from mounts_support import drive_on, mount_tmpfs, scanned_with_a_track_on, unmount, until
from watch_support import watch_running

from musicsage.library import watch_mounts

def test_a_drive_unmounted_and_mounted_again_inside_a_music_folder(ctx, music):
    with drive_on(music / "usb") as usb:
        scanned_with_a_track_on(ctx, music, usb)
        with watch_running(ctx):
            unmount(usb, check=True)
            until(ctx, {"here.wav": "present", "t.wav": "missing"})  # kept, marked missing
            assert mount_tmpfs(usb)
            write_audio(usb / "Album/t.wav", seconds=0.3, freq=330.0)  # the drive's files
            until(ctx, {"here.wav": "present", "t.wav": "present"})
            write_audio(usb / "Album/new.wav", seconds=0.3, freq=550.0)  # copied onto it
            until(ctx, {"here.wav": "present", "t.wav": "present", "new.wav": "present"})


def test_mount_points_said_under_the_watched_folder_they_were_reached_through(
        tmp_path, monkeypatch):
    """The table names a mount point by its real path, its space in octal; a music folder
    reached through a link names it under the link. Mounts elsewhere, or of the folder
    itself, or in a folder the scan skips as hidden, are not the watch's business here."""
    real = tmp_path / "data music"
    (real / "NAS box").mkdir(parents=True)
    link = tmp_path / "Music"
    link.symlink_to(real)
    table = tmp_path / "mountinfo"
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    line = "{n} 1 0:{n} / {point} rw - tmpfs tmpfs rw\n"
    escaped = str(real).replace(" ", "\\040")
    table.write_text(line.format(n=1, point="/") + line.format(n=2, point=escaped))
    mounts = watch_mounts.MountChanges()
    assert mounts.since_last_look([str(link)]) == []  # the first look: as they are
    table.write_text(table.read_text() + line.format(n=3, point=escaped + "/NAS\\040box")
                     + line.format(n=4, point="/elsewhere")
                     + line.format(n=5, point=escaped + "/.snapshots"))  # skipped as hidden
    assert mounts.since_last_look([str(link)]) == [(str(link), str(link / "NAS box"))]
    assert mounts.since_last_look([str(link)]) == []  # nothing new
    table.write_text(line.format(n=1, point="/") + line.format(n=2, point=escaped))
    assert mounts.since_last_look([str(link)]) == [(str(link), str(link / "NAS box"))]


def test_a_mount_inside_a_music_folder_is_a_batch_of_its_folder(tmp_path, monkeypatch):
    """Where no drive can be mounted: the table changed as a mount makes it change, the watch
    scans the mount point's folder (and observes the music folder anew)."""
    from musicsage.library.watch import FolderWatch
    from musicsage.library.watch_apply import WatchPlan

    music = tmp_path / "music"
    (music / "usb").mkdir(parents=True)
    table = tmp_path / "mountinfo"
    table.write_text("1 1 0:1 / / rw - ext4 /dev/sda1 rw\n")
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        watch.look_at_roots()
        assert watch.pending.take(quiet=0.0, max_wait=0.0, timeout=0.2) is None
        table.write_text(table.read_text() + f"2 1 0:2 / {music}/usb rw - nfs nas:/m rw\n")
        watch.look_at_roots()
        batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=1.0)
        assert batch is not None and batch.paths == {str(music / "usb"): True}
        assert watch.watched == [(str(music), True)]
