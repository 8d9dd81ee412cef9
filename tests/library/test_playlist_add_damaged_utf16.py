""""Add to playlist" and "Remove from playlist" on a UTF-16 playlist that is not valid
UTF-16. One cut short (an odd byte at its end) is refused in one line that says what to do,
untouched: entries written after an odd byte were out of step (text no player reads). One
holding a lone surrogate reads (the reader replaces it) and is added to and removed from,
the surrogate kept byte for byte: a PLS's add crashed on it, then was refused, and a remove
was refused after the add had worked, leaving the user no way to undo it."""

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


def _imported(ctx, tmp_path, filename: str, damage: str = "", text: str = ""):
    """A library of first.wav, second.wav and third.wav, and ``filename`` (``text``, else
    first.wav alone, in UTF-16 and damaged so) imported: the playlist's id, the tracks' ids
    by file name, the file."""
    music = tmp_path / "music"
    for name, freq in (("first.wav", 220.0), ("second.wav", 330.0), ("third.wav", 440.0)):
        write_audio(music / name, seconds=0.2, freq=freq)
    scan_library(ctx, [str(music)])
    ids = {t.path.rsplit("/", 1)[1]: t.id for t in list_tracks(ctx)}
    path = music / filename
    data = codecs.BOM_UTF16_LE + (text or TEXTS[filename]).encode("utf-16-le", "surrogatepass")
    path.write_bytes(DAMAGE[damage](data) if damage else data)
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    assert playlist_track_ids(ctx, report.playlist_id)[0] == ids["first.wav"]
    return report.playlist_id, ids, path


@pytest.mark.parametrize("filename", sorted(TEXTS))
def test_a_utf16_playlist_cut_short_is_refused_untouched(ctx, tmp_path, filename):
    pid, ids, path = _imported(ctx, tmp_path, filename, "cut short")
    before = path.read_bytes()

    with pytest.raises(MusicsageError, match=r"^cannot add to this playlist: it is not valid "
                                             r"UTF-16 text .*; the file was not touched: "
                                             r"re-save it in your player and add again$"):
        add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]
    backups = ctx.data_dir / BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())


def test_a_utf16_playlist_cut_short_is_refused_by_a_remove_too(ctx, tmp_path):
    from musicsage.usecases.suggest import remove_from_playlist

    pid, ids, path = _imported(ctx, tmp_path, "mix.m3u", "cut short")
    before = path.read_bytes()
    with pytest.raises(MusicsageError, match=r"^cannot remove from this playlist: it is not "
                                             r"valid UTF-16 text .*; the file was not touched: "
                                             r"re-save it in your player and remove again$"):
        remove_from_playlist(ctx, pid, [ids["first.wav"]])
    assert path.read_bytes() == before


@pytest.mark.parametrize("filename", sorted(TEXTS))
def test_a_playlist_with_a_lone_surrogate_is_added_to(ctx, tmp_path, filename):
    pid, ids, path = _imported(ctx, tmp_path, filename, "lone surrogate")
    before = path.read_bytes()

    report = add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert report.added == [ids["second.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"], ids["second.wav"]]
    after = path.read_bytes()
    assert len(after) % 2 == 0  # in step
    assert after.startswith(before) or filename == "mix.pls"  # a PLS's entries go before its count
    assert b"\x00\xd8" in after and after.decode("utf-16-le", "surrogatepass").count(
        "\ud800") == 1  # the surrogate kept, where it was
    assert "second.wav\r\n" in after.decode("utf-16-le", "replace")


SURROGATE_TITLED = {  # the lone surrogate in an entry's title, which a remove renumbers
    "mix.m3u": "#EXTM3U\r\n#EXTINF:1,a\r\nfirst.wav\r\n#EXTINF:1,b\ud800\r\nsecond.wav\r\n",
    "mix.pls": "[playlist]\r\nFile1=first.wav\r\nFile2=second.wav\r\nTitle2=b\ud800\r\n"
               "NumberOfEntries=2\r\n"}


@pytest.mark.parametrize("filename", sorted(SURROGATE_TITLED))
def test_a_lone_surrogate_survives_an_add_and_its_remove_byte_for_byte(ctx, tmp_path, filename):
    """Add third.wav, remove it: the file as it was; remove first.wav: the entry titled with
    the surrogate is renumbered (PLS) with its bytes kept."""
    from musicsage.usecases.suggest import remove_from_playlist

    pid, ids, path = _imported(ctx, tmp_path, filename, text=SURROGATE_TITLED[filename])
    before = path.read_bytes()

    add_to_playlist(ctx, pid, [ids["third.wav"]])
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"], ids["second.wav"], ids["third.wav"]]
    remove_from_playlist(ctx, pid, [ids["third.wav"]])
    assert path.read_bytes() == before

    remove_from_playlist(ctx, pid, [ids["first.wav"]])
    assert playlist_track_ids(ctx, pid) == [ids["second.wav"]]
    expected = SURROGATE_TITLED[filename].replace("#EXTINF:1,a\r\nfirst.wav\r\n", "")
    if filename == "mix.pls":
        expected = ("[playlist]\r\nFile1=second.wav\r\nTitle1=b\ud800\r\n"
                    "NumberOfEntries=1\r\n")
    assert path.read_bytes() == codecs.BOM_UTF16_LE + expected.encode("utf-16-le",
                                                                       "surrogatepass")
