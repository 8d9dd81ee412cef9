""""Add to playlist" refuses a UTF-16 playlist file that was cut short (an odd byte at its
end) or holds a lone surrogate, in one line and without touching it: entries written after
an odd byte were out of step (text no player reads) and a PLS crashed the add as a bug."""

from __future__ import annotations

import codecs

import pytest
from library_audio import write_audio

from musicsage.errors import MusicsageError
from musicsage.library.playlists.edit import BACKUP_DIR
from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist

TEXTS = {"mix.m3u": "#EXTM3U\r\nfirst.wav\r\n",
         "mix.pls": "[playlist]\r\nFile1=first.wav\r\nNumberOfEntries=1\r\n"}
DAMAGE = {"cut short": lambda b: b[:-1], "lone surrogate": lambda b: b + b"\x00\xd8"}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("filename", sorted(TEXTS))
def test_a_damaged_utf16_playlist_is_refused_untouched(ctx, tmp_path, filename, damage):
    music = tmp_path / "music"
    write_audio(music / "first.wav", seconds=0.2, freq=220.0)
    write_audio(music / "second.wav", seconds=0.2, freq=330.0)
    scan_library(ctx, [str(music)])
    ids = {t.path.rsplit("/", 1)[1]: t.id for t in list_tracks(ctx)}
    path = music / filename
    path.write_bytes(DAMAGE[damage](codecs.BOM_UTF16_LE + TEXTS[filename].encode("utf-16-le")))
    before = path.read_bytes()
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    pid = report.playlist_id
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]

    with pytest.raises(MusicsageError, match=r"^cannot add to this playlist: it is not valid "
                                             r"UTF-16 text .*; the file was not touched$"):
        add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]
    backups = ctx.data_dir / BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())
