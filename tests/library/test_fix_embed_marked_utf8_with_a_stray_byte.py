"""A UTF-8 playlist with a byte order mark and one stray byte that is not UTF-8 (a damaged
sector, a comment pasted from elsewhere) is read as the UTF-8 its mark declares, and edited
so. Read as Windows-1252 instead (for a while, to read a UTF-8 playlist and a cp1252 one
joined with ``cat``), its Japanese names became mojibake that named no file, and adding a
track wrote Windows-1252 bytes into a file whose mark says UTF-8."""

from __future__ import annotations

from musicsage.library.playlists import format_for
from musicsage.library.playlists.append import text_form

NAMES = ["あいうえお", "さしすせそ"]
MARKED = b"\xef\xbb\xbf" + ("#EXTM3U\n" + "".join(f"{n}.wav\n" for n in NAMES)).encode()
STRAY = b"# stray \xff\n"


def test_its_entries_read_as_written():
    for name in ("うた.m3u8", "うた.m3u", "うた.pls"):
        data = MARKED + STRAY
        if name.endswith(".pls"):
            data = ("\ufeff[playlist]\n" + "".join(f"File{i}={n}.wav\n" for i, n in
                                                    enumerate(NAMES, 1))).encode() + STRAY
        raws = [e.raw for e in format_for(name).parse(data, name).entries]
        assert raws == [f"{n}.wav" for n in NAMES], name


def test_an_edit_writes_utf8_as_its_mark_says():
    for legacy in (True, False):
        form = text_form(MARKED + STRAY, legacy=legacy)
        assert (form.codec, form.bom) == ("utf-8", 3)
