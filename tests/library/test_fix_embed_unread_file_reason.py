"""An entry naming a file the scan could not read says so, and what to do about it — whatever
spelling of the file the entry uses, and in a music player's playlists too; a music folder
that is gone is no file the scan could not read.

Before: "the scan could not read its file: not found (its 2 tracks are marked missing)" for an
entry naming a music folder moved away (no file failed to read: the folder was not there);
"no track in the library at this location" (and "if the files moved, scan the folder…") for
``my%20song.wav``, for a name relative to the music folder rather than the playlist's, and
for any entry of a Rhythmbox or iTunes playlist naming an empty file; and a reason without
advice, still shown after the file was replaced until its folder was scanned again."""

from __future__ import annotations

import shutil
from pathlib import Path

from library_audio import write_audio

from musicsage.usecases.library import scan_library

UNREAD = "the scan could not read its file: empty file"
ADVICE = " (repair or replace it, then scan its folder again)"


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "a.wav", seconds=0.1)
    (music / "empty.wav").write_bytes(b"")
    lists.mkdir()
    return music, lists


def _reasons(report, name: str) -> list[str]:
    (playlist,) = [p for p in report.playlists if p.name == name]
    return [u["reason"] for u in playlist.unresolved]


def test_the_reason_says_to_repair_or_replace_the_file_and_scan_again(ctx, tmp_path: Path):
    music, lists = _folders(tmp_path)
    (lists / "mix.m3u").write_text("../music/empty.wav\n")

    first = scan_library(ctx, [music], [lists])
    write_audio(music / "empty.wav", seconds=0.1)  # replaced, its folder not scanned yet
    (lists / "mix.m3u").write_text("../music/empty.wav\n#changed\n")
    later = scan_library(ctx, [], [lists])

    assert _reasons(first, "mix") == [UNREAD + ADVICE]
    assert _reasons(later, "mix") == [UNREAD + ADVICE]
    (playlist,) = later.playlists
    assert "scan its folder again" in playlist.none_found_warning()


def test_every_spelling_of_the_entry_is_checked(ctx, tmp_path: Path):
    music, lists = _folders(tmp_path)
    (music / "my song.wav").write_bytes(b"")
    (lists / "mix.m3u").write_text("../music/my%20song.wav\nempty.wav\n../music/gone.wav\n")

    reasons = _reasons(scan_library(ctx, [music], [lists]), "mix")

    assert reasons == [UNREAD + ADVICE, UNREAD + ADVICE,
                       "no track in the library at this location"]


def test_a_players_playlist_says_so_too(ctx, tmp_path: Path):
    music, lists = _folders(tmp_path)
    (lists / "playlists.xml").write_text(
        '<?xml version="1.0"?>\n<rhythmdb-playlists>\n<playlist name="Road" type="static">\n'
        f'<location>{(music / "empty.wav").as_uri()}</location>\n'
        f'<location>{(music / "a.wav").as_uri()}</location>\n'
        "</playlist>\n</rhythmdb-playlists>\n")

    assert _reasons(scan_library(ctx, [music], [lists]), "Road") == [UNREAD + ADVICE]


def test_a_music_folder_gone_is_no_file_the_scan_could_not_read(ctx, tmp_path: Path):
    music, lists = _folders(tmp_path)
    (lists / "mix.m3u").write_text("../music\n")
    scan_library(ctx, [music], [lists])
    shutil.move(music, tmp_path / "music.away")
    (lists / "mix.m3u").write_text("../music\n#changed\n")

    reasons = _reasons(scan_library(ctx), "mix")

    assert reasons == ["no track in the library at this location"]
