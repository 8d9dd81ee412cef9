"""A command a line of ``musicsage --data-dir L COMMAND`` tells the user to run names L, also
where it was written without backticks: ``scan``'s "to import it, musicsage scan --playlists
X", ``embed``'s "(musicsage import DS)" and the re-analysis hint "musicsage embed finishes
the re-analysis" escaped the rewrite of :mod:`musicsage.commands.told_commands`, and pasted
as told they scanned, imported or embedded into the default library, not L. Each is run
here on a library in a folder whose name needs quoting in a shell."""

from __future__ import annotations

import shlex
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.cli import main


def _tone(path: Path, freq: float) -> None:
    t = np.arange(16000) / 16000
    sf.write(str(path), 0.3 * np.sin(2 * np.pi * freq * t), 16000)


@pytest.fixture
def lib(tmp_path) -> Path:
    """Where the library is: a folder that is not the default one, with a space in its name."""
    return tmp_path / "lib L"


def _run(capsys, lib: Path, *argv: str) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(lib), *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def _on(lib: Path) -> str:
    """``musicsage --data-dir 'L'``: how a told command starts for ``lib``."""
    return f"musicsage --data-dir {shlex.quote(str(lib))}"


def test_a_playlist_file_among_the_music_is_imported_into_this_library(tmp_path, lib, capsys):
    music = tmp_path / "music"
    music.mkdir()
    _tone(music / "a.wav", 220)
    (music / "album.m3u").write_text("a.wav\n")
    rc, out, _err = _run(capsys, lib, "scan", str(music))
    assert rc == 0
    assert out.splitlines()[-1].endswith(
        f"to import it, `{_on(lib)} scan --playlists {music / 'album.m3u'}`"), out
    (music / "b.m3u").write_text("a.wav\n")
    rc, out, _err = _run(capsys, lib, "scan", str(music))
    assert rc == 0
    assert out.splitlines()[-1].endswith(
        f"to import them, `{_on(lib)} scan --playlists {music}`"), out


def test_a_dataset_without_vectors_is_imported_again_into_this_library(tmp_path, lib, capsys):
    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"t{i},Song {i},Artist\n" for i in range(6)))
    (ds / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 2},t{i}\n" for i in range(6)))
    assert _run(capsys, lib, "import", str(ds))[0] == 0
    rc, out, _err = _run(capsys, lib, "embed")
    assert rc == 0
    assert f"import the folder again (`{_on(lib)} import {ds}`)" in out, out
    rc, _out, err = _run(capsys, lib, "train", "--max-steps", "2")
    assert rc == 1
    assert f"import the folder again (`{_on(lib)} import {ds}`)" in err, err


def test_a_re_analysis_is_finished_in_this_library(tmp_path, lib, capsys):
    """Two of six tracks analysed again with other settings (an embed cut short): a radio
    from one of them is refused with the command that finishes the re-analysis."""
    from musicsage.context import AppContext
    from musicsage.library import queries as q
    from musicsage.library.db import connect

    music = tmp_path / "music"
    music.mkdir()
    for i, freq in enumerate((220.0, 330.0, 440.0, 550.0, 660.0, 880.0)):
        _tone(music / f"t{i}.wav", freq)
    assert _run(capsys, lib, "scan", str(music))[0] == 0
    assert _run(capsys, lib, "embed", "--model", "spectral")[0] == 0
    assert _run(capsys, lib, "embed", "--max-seconds", "0.5", "--limit", "2")[0] == 0
    conn = connect(AppContext.create(lib))
    shown = q.shown_version(conn, "spectral")
    other = [t for t, v in q.embedding_versions(conn, "spectral").items() if v != shown]
    assert len(other) == 2
    rc, out, err = _run(capsys, lib, "radio", str(min(other)))
    assert (rc, out) == (1, "")
    assert err.rstrip("\n").endswith(f"`{_on(lib)} embed` finishes the re-analysis"), err
