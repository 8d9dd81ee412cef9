"""The window's "Save as playlist…" over a playlist of the user's: the dialog asked, but the
user's list (a slip of the mouse, another player's only copy) was replaced with no way back.
It is backed up first, as "Add to playlist" backs up; a symbolic link is written through."""

from __future__ import annotations

import os

from musicsage.library.playlists.backups import BACKUP_DIR


def test_saving_over_a_linked_user_playlist_keeps_the_link_and_a_backup(library, make_app,
                                                                        tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:2]]
    synced = tmp_path / "sync"
    synced.mkdir()
    target = synced / "Road trip.m3u8"
    theirs = b"#EXTM3U\n# kept by my phone\n/music/a.flac\n"
    target.write_bytes(theirs)
    link = tmp_path / "Road trip.m3u8"
    link.symlink_to(target)

    app.save_tracks(str(link), ids, "Road trip")
    runner.drain()

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("#EXTM3U\n#PLAYLIST:Road trip\n")
    backups = sorted((library.data_dir / BACKUP_DIR).iterdir())
    assert [b.read_bytes() for b in backups] == [theirs]
    assert app.notifications[-1] == (  # the way back is named, as Add and Remove name it
        "info", f"Saved 2 tracks to {link}; the playlist it replaced is backed up in "
        f"{backups[0]}")
    assert backups[0].name.startswith("Road trip.") and backups[0].suffix == ".m3u8"

    app.save_tracks(str(link), ids[:1], "Road trip")  # over our own list: nothing to lose
    runner.drain()
    assert sorted((library.data_dir / BACKUP_DIR).iterdir()) == backups
    assert app.notifications[-1] == ("info", f"Saved 1 track to {link}")  # no backup to name
