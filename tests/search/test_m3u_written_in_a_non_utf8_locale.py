"""A list saved as a playlist (``similar --m3u``, the window's Save playlist) in a session whose
filesystem encoding is not UTF-8 names every file: under ASCII (``LC_ALL=C`` with UTF-8 mode
off) a list holding ``Café`` crashed with UnicodeEncodeError, and under a real Latin-1 locale
``Café`` was written as ``file:///…/Caf%E9/…``, which names no file (on disk it is
``%C3%A9``). Each entry written reads back as the bytes of a file that is there.

The writes run in a child process, since a process's filesystem encoding is fixed at its
start; the Latin-1 one builds that locale with ``localedef`` and skips where it cannot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pytest

from musicsage.library.paths import from_fs

ROOT = Path(__file__).resolve().parents[2]
ASCII_SESSION = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
LATIN1 = "fr_FR.ISO-8859-1"
CHILD = textwrap.dedent("""
    import json, sys
    from musicsage.usecases.search import write_m3u
    dest, paths = json.loads(sys.argv[1])
    tracks = [{"path": p, "title": None, "artist": None, "duration": 1} for p in paths]
    written = write_m3u(dest, tracks, name="Caf\\u00e9")
    print(json.dumps([sys.getfilesystemencoding(), written.tracks]))
""")


def _files(tmp_path: Path) -> list[str]:
    """A UTF-8 name with accents and a Latin-1 one, as a UTF-8 session stores them."""
    folder = os.fsencode(tmp_path) + b"/Caf\xc3\xa9"
    os.mkdir(folder)
    names = [folder + b"/Montr\xc3\xa9al.wav", folder + b"/caf\xe9.wav"]
    for name in names:
        with open(name, "wb") as fh:
            fh.write(b"RIFF")
    return [from_fs(name) for name in names]


def _written_in(env: dict, tmp_path: Path) -> tuple[str, list[bytes]]:
    """The child's filesystem encoding, and the file each entry it wrote names, as bytes."""
    dest = tmp_path / "list.m3u8"
    env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    args = json.dumps([str(dest), _files(tmp_path)])
    done = subprocess.run([sys.executable, "-c", CHILD, args], env=env, capture_output=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    encoding, count = json.loads(done.stdout)
    assert count == 2
    entries = [line for line in dest.read_text(encoding="utf-8").splitlines()
               if not line.startswith("#")]
    return encoding, [urllib.parse.unquote_to_bytes(e[len("file://"):]) if e.startswith("file:")
                      else e.encode("utf-8") for e in entries]


def _names_the_files(named: list[bytes], tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    assert named == [folder + b"/Caf\xc3\xa9/Montr\xc3\xa9al.wav",
                     folder + b"/Caf\xc3\xa9/caf\xe9.wav"]
    assert all(os.path.isfile(name) for name in named)


def test_a_list_with_accented_names_is_saved_in_an_ascii_session(tmp_path):
    encoding, named = _written_in(ASCII_SESSION, tmp_path)
    assert encoding == "ascii"
    _names_the_files(named, tmp_path)


def _latin1_locale(tmp_path: Path) -> dict:
    """The environment of a session in a real Latin-1 locale, built with ``localedef``."""
    if shutil.which("localedef") is None:
        pytest.skip("localedef is not installed: no Latin-1 locale can be built")
    made = subprocess.run(["localedef", "-i", "fr_FR", "-f", "ISO-8859-1",
                           str(tmp_path / "locales" / LATIN1)], capture_output=True, timeout=120)
    if made.returncode not in (0, 1) or not (tmp_path / "locales" / LATIN1).is_dir():
        pytest.skip(f"localedef could not build {LATIN1}: "
                    f"{made.stderr.decode('utf-8', 'replace').strip()}")
    return {"LOCPATH": str(tmp_path / "locales"), "LC_ALL": LATIN1, "LANG": LATIN1,
            "PYTHONUTF8": "0"}


def test_a_list_with_accented_names_is_saved_in_a_latin1_locale(tmp_path):
    (tmp_path / "locales").mkdir()
    env = _latin1_locale(tmp_path)
    music = tmp_path / "music"
    music.mkdir()
    encoding, named = _written_in(env, music)
    if encoding != "iso8859-1":
        pytest.skip(f"the {LATIN1} locale built was not taken up (the encoding is {encoding})")
    _names_the_files(named, music)
