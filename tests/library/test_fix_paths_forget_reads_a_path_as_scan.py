"""``forget`` reads a typed path as ``scan`` does (task "fix_paths"). ``scan Music/Fav/..``
(``Fav`` a link to ``disk/Music/Rock/Fav``) adds ``disk/Music/Rock``, as the system reads
it; ``forget Music/Fav/..`` read the text instead (``Music``) and removed ANOTHER music
folder, its tracks, vectors and playlist places. Past a link to nowhere (a drive not
mounted) no reading is sure: nothing is removed."""

from __future__ import annotations

import os
import sqlite3
import struct
import wave

from musicsage.cli import main

from test_forget_shared_dataset_tracks import write_dir


def _wav(path) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<h", 100) * 8000)


def _folders(lib) -> tuple[list[str], int]:
    with sqlite3.connect(lib / "library.sqlite3") as conn:
        roots = sorted(r[0] for r in conn.execute("SELECT path FROM library_roots"))
        return roots, conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]


def test_forget_link_dotdot_forgets_the_folder_scan_added(tmp_path, capsys, monkeypatch):
    rock, music = tmp_path / "disk" / "Music" / "Rock", tmp_path / "home" / "Music"
    (rock / "Fav").mkdir(parents=True)
    music.mkdir(parents=True)
    _wav(rock / "b.wav")
    _wav(music / "z.wav")
    os.symlink(rock / "Fav", music / "Fav")
    monkeypatch.chdir(tmp_path / "home")
    lib = tmp_path / "lib"
    assert main(["--data-dir", str(lib), "scan", "Music"]) == 0
    assert main(["--data-dir", str(lib), "scan", "Music/Fav/.."]) == 0
    assert _folders(lib) == (sorted([str(rock), str(music)]), 2)
    capsys.readouterr()

    assert main(["--data-dir", str(lib), "forget", "Music/Fav/.."]) == 0

    assert capsys.readouterr().out.startswith(f"removed {rock} from the library: 1 track ")
    assert _folders(lib) == ([str(music)], 1)  # Music and its track stay


def test_forget_past_a_link_to_nowhere_removes_nothing(tmp_path, capsys, monkeypatch):
    """Links to ``media/usb`` and ``ds/usb``, neither there: ``here/usb/..`` read by its text
    is ``here``, ``away/usb/..`` through the missing target is ``media`` and ``away/ds/..``
    the imported dataset dir ``ds``: each a folder of the library, and none what the system
    calls ``…/usb/..`` (no such folder)."""
    here, media, away = tmp_path / "here", tmp_path / "media", tmp_path / "away"
    (media / "other").mkdir(parents=True)
    here.mkdir()
    away.mkdir()
    _wav(here / "h.wav")
    _wav(media / "other" / "x.wav")
    write_dir(tmp_path / "ds")
    lib = tmp_path / "lib"
    assert main(["--data-dir", str(lib), "scan", str(here), str(media)]) == 0
    assert main(["--data-dir", str(lib), "import", str(tmp_path / "ds")]) == 0
    os.symlink(media / "usb", here / "usb")
    os.symlink(media / "usb", away / "usb")
    os.symlink(tmp_path / "ds" / "usb", away / "ds")
    before = _folders(lib), _playlists(lib)
    capsys.readouterr()

    for typed in (away / "usb" / "..", away / "ds" / "..", here / "usb" / ".."):
        for command in (["forget", str(typed)], ["forget", "--missing", str(typed)]):
            assert main(["--data-dir", str(lib), *command]) == 1
            err = capsys.readouterr().err
            assert f"no such folder: {typed} (nothing was removed)" in err

    assert (_folders(lib), _playlists(lib)) == before
    assert before == ((sorted([str(here), str(media)]), 6), 2)


def _playlists(lib) -> int:
    with sqlite3.connect(lib / "library.sqlite3") as conn:
        return conn.execute("SELECT COUNT(*) FROM playlists").fetchone()[0]
