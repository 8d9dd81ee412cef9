""""Add to playlist" and a UTF-16 playlist that is not valid UTF-16. One cut short (an odd
byte at its end) is refused in one line that says what to do, untouched: entries written
after an odd byte were out of step (text no player reads), and a PLS, whose lines are read
strictly, crashed the add as a bug on a lone surrogate too. An M3U holding a lone surrogate
is read leniently and was added to before that refusal: it still is."""

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
REFUSED = [("mix.m3u", "cut short"), ("mix.pls", "cut short"), ("mix.pls", "lone surrogate")]


def _imported(ctx, tmp_path, filename: str, damage: str):
    """A library of first.wav and second.wav, and ``filename`` (first.wav in it) damaged so,
    imported: the playlist's id, the tracks' ids by file name, the file."""
    music = tmp_path / "music"
    write_audio(music / "first.wav", seconds=0.2, freq=220.0)
    write_audio(music / "second.wav", seconds=0.2, freq=330.0)
    scan_library(ctx, [str(music)])
    ids = {t.path.rsplit("/", 1)[1]: t.id for t in list_tracks(ctx)}
    path = music / filename
    path.write_bytes(DAMAGE[damage](codecs.BOM_UTF16_LE + TEXTS[filename].encode("utf-16-le")))
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    assert playlist_track_ids(ctx, report.playlist_id) == [ids["first.wav"]]
    return report.playlist_id, ids, path


@pytest.mark.parametrize("filename, damage", REFUSED)
def test_a_damaged_utf16_playlist_is_refused_untouched(ctx, tmp_path, filename, damage):
    pid, ids, path = _imported(ctx, tmp_path, filename, damage)
    before = path.read_bytes()

    with pytest.raises(MusicsageError, match=r"^cannot add to this playlist: it is not valid "
                                             r"UTF-16 text .*; the file was not touched: "
                                             r"re-save it in your player and add again$"):
        add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]
    backups = ctx.data_dir / BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())


def test_an_m3u_with_a_lone_surrogate_is_added_to(ctx, tmp_path):
    pid, ids, path = _imported(ctx, tmp_path, "mix.m3u", "lone surrogate")
    before = path.read_bytes()

    report = add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert report.added == [ids["second.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"], ids["second.wav"]]
    after = path.read_bytes()
    assert after.startswith(before) and len(after) % 2 == 0  # kept, and in step
    assert after[len(before):].decode("utf-16-le").endswith("second.wav\r\n")
