"""A hard-linked playlist (one file under two names) written in place that fails part-way on
a full disk is put back ("the file was left as it was"): its time too, so the next add or
remove, through either name, is not refused as "changed on disk"."""
import errno
import os

import pytest
from playlist_support import playlist_library

from musicsage.errors import MusicsageError
from musicsage.library.playlists import file_writes
from musicsage.usecases.library import list_playlists, scan_library
from musicsage.usecases.suggest import add_to_playlist, remove_from_playlist


@pytest.mark.parametrize("through", ["Mix", "Road trip"])
def test_full_disk_put_back_then_edit(ctx, tmp_path, monkeypatch, through):
    ctx, _music, lists, ids = playlist_library(ctx, tmp_path)
    mix = lists / "Mix.m3u8"
    mix.write_text("#EXTM3U\n../music/A/One.wav\n../music/A/Two.wav\n", encoding="utf-8")
    then = os.stat(mix).st_mtime - 365 * 24 * 3600
    os.utime(mix, (then, then))
    other = lists / "Road trip.m3u8"
    os.link(mix, other)
    scan_library(ctx, [], [str(mix)])
    scan_library(ctx, [], [str(other)])
    by_name = {p.name: p.id for p in list_playlists(ctx)}
    before = mix.read_bytes()
    real, calls = file_writes._overwrite, []

    def full_once(fd, data):
        calls.append(1)
        if len(calls) == 1:
            os.pwrite(fd, b"#EXTM3U\n", 0)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(file_writes, "_overwrite", full_once)
    with pytest.raises(MusicsageError) as caught:
        add_to_playlist(ctx, by_name["Mix"], [ids["C/Five.wav"]])
    monkeypatch.undo()
    assert "the file was left as it was" in str(caught.value)
    assert mix.read_bytes() == before, "put back"
    report = remove_from_playlist(ctx, by_name[through], [ids["A/One.wav"]])
    assert report.removed
