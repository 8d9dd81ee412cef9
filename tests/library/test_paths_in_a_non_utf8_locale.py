"""A library read in a session whose filesystem encoding is not UTF-8 (``LC_ALL=C`` with UTF-8
mode off, ``PYTHONUTF8=0``, which Python 3.11 turns on for the C locale by itself; a Latin-1
locale): the stored path is the name's bytes read as UTF-8, so ``é`` must go back to
the OS as the bytes ``\\xc3\\xa9`` it was found as. ``os.fsencode("é")`` under ASCII raised
UnicodeEncodeError: ``similar`` and ``playlists`` crashed (exit 70) building a track's
``file://`` URI, and a file of the library could not be opened by its stored path.

These run Python in a child process, since a process's filesystem encoding is fixed at its
start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _run_in_an_ascii_session(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **ASCII_LOCALE, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(cwd), "XDG_DATA_HOME": str(cwd), "XDG_CACHE_HOME": str(cwd)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          timeout=300)


def _wav(path: bytes) -> None:
    sr = 8000
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(sr) / sr)
    sf.write(path, tone.astype("float32"), sr)


def test_stored_paths_name_their_files_in_an_ascii_session(tmp_path):
    """In the child: a UTF-8 name and a Latin-1 one, found on disk, stored, and opened again by
    the stored text; their URIs are their bytes."""
    folder = os.fsencode(tmp_path)
    os.mkdir(folder + b"/Caf\xc3\xa9")
    utf8, latin1 = folder + b"/Caf\xc3\xa9/Montr\xc3\xa9al.wav", folder + b"/caf\xe9.wav"
    for name in (utf8, latin1):
        _wav(name)
    child = textwrap.dedent("""
        import json, os, sys
        from musicsage.library import paths as P
        assert sys.getfilesystemencoding() == "ascii", sys.getfilesystemencoding()
        out = []
        for top, _dirs, files in sorted(os.walk(sys.argv[1])):
            for name in sorted(files):
                stored = P.from_fs(os.path.join(top, name))
                with open(P.to_fs(stored), "rb") as fh:
                    fh.read(4)
                os.stat(P.to_fs_bytes(stored))
                out.append([stored, P.file_uri(stored), P.display(stored)])
        print(json.dumps(out))
    """)
    done = _run_in_an_ascii_session(["-c", child, os.fsdecode(tmp_path)], tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    found = json.loads(done.stdout)
    uri_folder = "file://" + str(tmp_path)
    assert [row[1] for row in found] == [f"{uri_folder}/caf%E9.wav",
                                         f"{uri_folder}/Caf%C3%A9/Montr%C3%A9al.wav"]
    assert found[1][0] == f"{tmp_path}/Café/Montréal.wav"  # the same text a UTF-8 session stores
    assert found[0][2] == f"{tmp_path}/caf\ufffd.wav"


def test_playlists_json_in_an_ascii_session_gives_each_tracks_uri(tmp_path):
    """A library scanned in a UTF-8 session, listed by ``musicsage playlists 1 --json`` in
    an ASCII one (``PYTHONUTF8=0 LC_ALL=C``): every track's ``uri`` is its file's, where the
    command crashed."""
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    music = tmp_path / "music" / "Café"
    music.mkdir(parents=True)
    _wav(os.fsencode(music / "Montréal × 2.wav"))
    (music / "list.m3u8").write_text("Montréal × 2.wav\n", encoding="utf-8")
    data = tmp_path / "lib"
    scan_library(AppContext.create(data), [str(tmp_path / "music")],
                 playlists=[str(music / "list.m3u8")])
    done = _run_in_an_ascii_session(["-m", "musicsage", "--data-dir", str(data), "playlists", "1",
                             "--json"], tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    tracks = json.loads(done.stdout)["tracks"]
    assert [t["uri"] for t in tracks] == [
        f"file://{tmp_path}/music/Caf%C3%A9/Montr%C3%A9al%20%C3%97%202.wav"]
    assert [t["path"] for t in tracks] == [str(music / "Montréal × 2.wav")]


@pytest.mark.skipif(sys.getfilesystemencoding() != "utf-8",
                    reason="the tests run in a session whose filesystem encoding is not UTF-8")
def test_a_utf8_name_keeps_its_text_in_a_utf8_session():
    """The usual case is unchanged: the stored text is the OS path, quoted as itself."""
    from musicsage.library.paths import shell_word, to_fs, to_fs_bytes

    name = "/tmp/Montréal × 2"
    assert to_fs(name) == name and to_fs_bytes(name) == name.encode()
    assert shell_word(name) == f"'{name}'"
