"""A ``--data-dir`` whose name is not UTF-8 (``x\\xe9y``, written by a Latin-1 system), or any
name beyond ASCII in an ASCII session (``PYTHONUTF8=0 LC_ALL=C``): the refusal showed the folder as
``/tmp/x\\udce9y`` (Python's surrogate, which no person typed) and its suggested command
quoted that spelling, which names no folder. The folder is shown as the app shows odd bytes
(U+FFFD), and the command is quoted so that a shell gives the program the folder's bytes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.context import AppContext, LibraryUse
from musicsage.errors import MusicsageError

ROOT = Path(__file__).resolve().parent.parent


def _bytes_the_shell_reads(word: str) -> bytes:
    """What bash hands a program for ``word`` as written in a command line."""
    done = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _data_dir_words(message: str) -> list[str]:
    return re.findall(r"`musicsage --data-dir (.+?) (?:scan|import) ", message)


def test_a_latin1_data_dir_is_shown_and_suggested_as_the_folder_it_is(tmp_path):
    raw = os.fsencode(tmp_path) + b"/x\xe9y"
    with pytest.raises(MusicsageError) as refused:
        AppContext.create(os.fsdecode(raw), library=LibraryUse.EXISTING)
    message = str(refused.value)
    assert message.startswith(f"no library at {tmp_path}/x\ufffdy, nothing was created")
    assert "\\udc" not in message.encode("ascii", "backslashreplace").decode()
    words = _data_dir_words(message)
    assert len(words) == 2 and all(_bytes_the_shell_reads(w) == raw for w in words)
    assert os.listdir(tmp_path) == []


def test_a_latin1_file_given_as_data_dir_is_shown_as_the_app_shows_names(tmp_path):
    raw = os.fsencode(tmp_path) + b"/f\xe9"
    open(raw, "wb").close()
    with pytest.raises(MusicsageError, match="f\ufffd is a file, not a folder"):
        AppContext.create(os.fsdecode(raw))


def test_a_utf8_data_dir_in_an_ascii_session_is_suggested_so_that_the_shell_names_it(tmp_path):
    folder = tmp_path / "Montréal"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
           "PYTHONCOERCECLOCALE": "0", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "musicsage", "--data-dir", str(folder),
                           "stats"], cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert done.returncode == 1, done.stderr
    words = _data_dir_words(done.stderr.decode("ascii"))
    assert len(words) == 2 and all(_bytes_the_shell_reads(w) == os.fsencode(folder)
                                   for w in words)
    assert not folder.exists()
