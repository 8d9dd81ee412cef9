"""A playlist entry naming a file the scan could not read (an empty file, text named .mp3)
said "no track in the library at this location", and a playlist of only such entries added
"if the files moved, scan the folder they are in now": the user went looking for music that
never moved, and the next scan failed on the same file again. The reason now says the scan
could not read the file, why, and what to do."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio

from musicsage.usecases.library import scan_library


def test_an_entry_naming_an_unreadable_file_says_the_scan_could_not_read_it(ctx,
                                                                            tmp_path: Path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "a.wav", seconds=0.1)
    (music / "broken.mp3").write_text("not audio at all\n" * 20)
    (music / "empty.wav").write_bytes(b"")
    lists.mkdir()
    (lists / "mix.m3u").write_text("../music/broken.mp3\n../music/empty.wav\n"
                                   "../music/a.wav\n../music/gone.wav\n")
    (lists / "bad.m3u").write_text(f"{(music / 'empty.wav').as_uri()}\n")

    rep = scan_library(ctx, [music], [lists])

    by_name = {p.name: p for p in rep.playlists}
    reasons = [u["reason"] for u in by_name["mix"].unresolved]
    assert reasons[0].startswith("the scan could not read its file: not a readable mp3 file")
    assert reasons[1] == ("the scan could not read its file: empty file"
                          " (repair or replace it, then scan its folder again)")
    assert reasons[2] == "no track in the library at this location"  # gone: as before
    warning = by_name["bad"].none_found_warning()
    assert warning is not None and "the scan could not read its file: empty file" in warning
    assert "if the files moved" not in warning
