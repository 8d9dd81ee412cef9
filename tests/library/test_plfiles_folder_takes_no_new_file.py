"""A playlist the user may write, in a folder that takes no new file (a shared music folder of
another user's, its files writable by the group; a folder made immutable): "Add to playlist"
and "Remove" refused with "cannot write playlist …: Permission denied" — a file the user may
write, said not writable. It is written in place then, as a hard-linked playlist is (backup
first), and reads back."""

from __future__ import annotations

import errno
import os

import pytest
from playlist_support import playlist_library

from musicsage.library.playlists import file_writes
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist, remove_from_playlist


@pytest.fixture
def no_new_file(monkeypatch):
    """The folder refuses the temporary file beside the playlist, as chmod a-w or chattr +i
    of it do (root passes over the first: the refusal is made here)."""
    def refuse(target):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(target))

    monkeypatch.setattr(file_writes, "temporary_beside", refuse)


def test_add_and_remove_write_the_file_in_place(ctx, tmp_path, no_new_file):
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    playlist = lists / "mix.m3u"
    playlist.write_text(f"#EXTM3U\n# my comment\n{music / 'A/One.wav'}\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(playlist)]).playlists[0].playlist_id
    inode = os.stat(playlist).st_ino

    added = add_to_playlist(ctx, pid, [ids["B/Three.wav"]])

    assert added.added == [ids["B/Three.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"], ids["B/Three.wav"]]
    assert playlist.read_text(encoding="utf-8").startswith(
        f"#EXTM3U\n# my comment\n{music / 'A/One.wav'}\n")
    assert os.stat(playlist).st_ino == inode, "written in place"
    assert os.path.exists(added.backup)

    removed = remove_from_playlist(ctx, pid, [ids["A/One.wav"]])

    assert [r["track_id"] for r in removed.removed] == [ids["A/One.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["B/Three.wav"]]
    assert "# my comment\n" in playlist.read_text(encoding="utf-8")
