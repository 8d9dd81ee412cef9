"""The window's line for "Save as playlist…" over a playlist of the user's names the backup
made of it first: the dialog asked, but a slip replaced another player's only copy, and the
copy kept in the data dir was never mentioned (Add and Remove name theirs)."""

from __future__ import annotations

from musicsage.controllers.app import saved_line
from musicsage.search.m3u import Written, write_m3u
from musicsage.search.types import SimilarResult


def _row(path, title: str) -> dict:
    return {"path": str(path), "title": title, "artist": "Band", "duration": 60.0}


def test_a_replaced_user_playlist_is_named_with_its_backup(tmp_path):
    mine = tmp_path / "Road trip.m3u8"
    theirs = b"#EXTM3U\n/music/kept by my phone.flac\n"
    mine.write_bytes(theirs)
    backups = tmp_path / "backups"
    rows = [_row(tmp_path / "a.flac", "A"), _row(tmp_path / "b.flac", "B")]

    written = write_m3u(mine, rows, name="Similar to A", overwrite=True, backup_root=backups)

    [backup] = list(backups.iterdir())
    assert backup.read_bytes() == theirs and written.backup == str(backup)
    note = f"; the playlist it replaced is backed up in {backup}"
    result = SimilarResult(query=rows[0], graph=[rows[1]])  # a track and its neighbour
    assert saved_line(written, str(mine), result) == f"Saved A and its 1 neighbour to {mine}{note}"
    assert saved_line(written, str(mine), rows) == f"Saved 2 tracks to {mine}{note}"


def test_nothing_of_the_users_replaced_names_no_backup(tmp_path):
    dest = tmp_path / "new.m3u8"
    rows = [_row(tmp_path / "a.flac", "A")]
    written = write_m3u(dest, rows, name="Mix", overwrite=True, backup_root=tmp_path / "backups")
    assert written == Written(1)
    assert saved_line(written, str(dest), rows) == f"Saved 1 track to {dest}"
    again = write_m3u(dest, rows, name="Mix", overwrite=True,
                      backup_root=tmp_path / "backups")  # ours: nothing to lose
    assert again.backup is None and not (tmp_path / "backups").exists()
