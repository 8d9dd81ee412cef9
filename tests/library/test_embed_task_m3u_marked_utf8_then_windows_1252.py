"""A UTF-8 playlist saved with a byte order mark and an old player's Windows-1252 one joined
with ``cat`` (in that order): the mark made the whole file read as UTF-8, so each accented
name of the second part (``é`` is byte E9 there) became U+FFFD and named no file — the
track was "not in the library" though it was. Without the mark the file was already read as
Windows-1252, its UTF-8 names still found; with it, now too. Editing reads it the same way."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio

from musicsage.library.playlists import format_for
from musicsage.library.playlists.remove import remove_entries
from musicsage.usecases.library import scan_library

BOM = b"\xef\xbb\xbf"
MARKED = BOM + "#EXTM3U\n#EXTINF:1,Beyoncé\nBeyoncé.wav\n".encode()
WINDOWS_1252 = b"#EXTM3U\r\n#EXTINF:2,Caf\xe9\r\nCaf\xe9.wav\r\n"


def test_the_windows_1252_part_after_a_marked_one_reads_as_written():
    for name in ("joined.m3u", "joined.m3u8"):
        parsed = format_for(name).parse(MARKED + WINDOWS_1252, name)
        raws = [e.raw for e in parsed.entries]
        assert raws[1] == "Café.wav" and "\ufffd" not in "".join(raws), name


def test_removing_from_such_a_join_finds_the_lines_the_reader_read():
    data = MARKED + WINDOWS_1252
    raws = [e.raw for e in format_for("j.m3u").parse(data, "j.m3u").entries]
    out = remove_entries(data, "/lists/j.m3u", {0}, expected=raws)
    assert out == BOM + b"#EXTM3U\n" + WINDOWS_1252


def test_its_accented_entries_name_their_tracks(ctx, tmp_path: Path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "Beyoncé.wav", seconds=0.1)
    write_audio(music / "Café.wav", seconds=0.1)
    lists.mkdir()
    (lists / "joined.m3u").write_bytes(MARKED.replace(b"Beyonc", b"../music/Beyonc")
                                       + WINDOWS_1252.replace(b"Caf\xe9.", b"..\\music\\Caf\xe9."))

    (rep,) = scan_library(ctx, [music], [lists]).playlists

    assert (rep.entries, rep.resolved, rep.unresolved) == (2, 2, [])
