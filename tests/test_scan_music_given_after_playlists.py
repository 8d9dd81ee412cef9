"""``musicsage scan --playlists LISTS MUSIC``: argparse gives ``--playlists`` every path after it,
so the music folder was read as a folder of playlists and never scanned. The user saw only
"none of its entries were found in the library" for each playlist (exit 0), or "no playlist
files in MUSIC" — never that the music was not scanned, nor how to say it. Now a line names
the music given after ``--playlists`` and the command that scans it; a folder of playlists
inside a music folder of the library (its music scanned already) gets no such line. The command
names the library's ``--data-dir`` (without it, it scanned the music into the default library)."""

from __future__ import annotations

import shlex
from pathlib import Path

from musicsage.cli import main
from music_support import make_music


def scan(data: Path, *args) -> int:
    return main(["--data-dir", str(data), "scan", *map(str, args)])


def test_music_after_playlists_is_named_with_the_command_that_scans_it(tmp_path, capsys):
    music, playlists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.5)

    code = scan(tmp_path / "lib", "--playlists", playlists, music)

    _out, err = capsys.readouterr()
    assert code == 0
    notes = [line for line in err.splitlines() if "holds music" in line]
    assert notes == [f"note: {music} holds music, which --playlists does not scan: name music "
                     f"before --playlists (`musicsage --data-dir {tmp_path / 'lib'} scan {music} "
                     f"--playlists {playlists}`)"]


def test_a_lone_music_folder_after_playlists_is_refused_saying_why(tmp_path, capsys):
    music, _playlists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    data = tmp_path / "lib"

    code = scan(data, "--playlists", music)

    out, err = capsys.readouterr()
    assert code == 1 and out == "" and not data.exists()
    assert err.splitlines() == [
        f"musicsage scan: no playlist files in {music}; nothing was scanned; {music} holds "
        f"music, which --playlists does not scan: scan it as music (`musicsage --data-dir {data} "
        f"scan {music}`)"]


def test_playlists_inside_a_music_folder_of_the_library_get_no_note(tmp_path, capsys):
    music, _playlists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    (music / "album.m3u").write_text("Rock Band/00 Rock Song 0.flac\n", encoding="utf-8")
    data = tmp_path / "lib"
    assert scan(data, music) == 0
    capsys.readouterr()

    code = scan(data, "--playlists", music)

    _out, err = capsys.readouterr()
    assert code == 0 and "holds music" not in err


def test_a_folder_around_a_music_folder_of_the_library_gets_no_note(tmp_path, capsys):
    """Its only music is a music folder of the library: naming it would make the folder around
    (think ~) a music folder of its own."""
    music, _playlists, _paths = make_music(tmp_path / "home", n_tracks=4, seconds=0.5)
    (tmp_path / "home" / "mix.m3u").write_text(f"{music.name}/Rock Band/00 Rock Song 0.flac\n",
                                               encoding="utf-8")
    data = tmp_path / "lib"
    assert scan(data, music) == 0
    capsys.readouterr()

    code = scan(data, "--playlists", tmp_path / "home")

    _out, err = capsys.readouterr()
    assert code == 0 and "which --playlists does not scan" not in err


def test_a_music_folder_of_the_library_given_alone_is_refused_without_the_note(tmp_path,
                                                                                capsys):
    """``scan --playlists Music`` with Music in the library: the refusal alone, never "scan
    Music" (it is scanned already)."""
    music, _playlists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    data = tmp_path / "lib"
    assert scan(data, music) == 0
    capsys.readouterr()

    code = scan(data, "--playlists", music)

    _out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [f"musicsage scan: no playlist files in {music}; nothing was "
                                "scanned"]


def test_an_audio_file_after_playlists_is_said_to_be_music(tmp_path, capsys):
    music, playlists, paths = make_music(tmp_path, n_tracks=2, seconds=0.5)

    code = scan(tmp_path / "lib", "--playlists", playlists, paths[0])

    _out, err = capsys.readouterr()
    assert code == 0
    assert (f"note: {paths[0]} is music, which --playlists does not scan: name music before "
            f"--playlists (`musicsage --data-dir {tmp_path / 'lib'} scan {shlex.quote(str(paths[0]))} "
            f"--playlists {playlists}`)"
            ) in err


def test_the_command_given_for_the_default_library_has_no_data_dir(tmp_path, capsys,
                                                                     monkeypatch):
    """The per-user library needs no ``--data-dir``: the command stays as short as typed."""
    music, playlists, _paths = make_music(tmp_path, n_tracks=2, seconds=0.5)
    monkeypatch.setattr("musicsage.context.default_data_dir", lambda: tmp_path / "lib")

    assert scan(tmp_path / "lib", "--playlists", playlists, music) == 0

    _out, err = capsys.readouterr()
    assert f"(`musicsage scan {music} --playlists {playlists}`)" in err
