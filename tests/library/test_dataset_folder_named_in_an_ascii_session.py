"""``import DIR`` and ``export DIR`` in a session whose filesystem encoding is ASCII
(``LC_ALL=C``, UTF-8 mode off), DIR named ``Müsik``: their summary line showed the folder by
its OS form, the bytes as stand-ins printed as ``M\\udcc3\\udcbcsik``; every other message of
the app shows ``M\\xfcsik`` there (the name's bytes read as UTF-8, as stored paths are).

Run in a child process, since a process's filesystem encoding is fixed at its start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def in_an_ascii_session(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **ASCII_LOCALE, "PYTHONPATH": str(ROOT),
           "XDG_CONFIG_HOME": str(data), "XDG_DATA_HOME": str(data),
           "XDG_CACHE_HOME": str(data)}
    return subprocess.run([sys.executable, "-m", "musicsage", "--data-dir", str(data), *args],
                          env=env, capture_output=True, timeout=300)


def test_import_and_export_show_a_non_ascii_folder_as_other_messages_do(tmp_path):
    folder = tmp_path / "Müsik"
    (folder / "source").mkdir(parents=True)
    (folder / "source" / "tracks.csv").write_text("track_id,title\n1,One\n", encoding="utf-8")

    imported = in_an_ascii_session(tmp_path / "data", "import", str(folder / "source"))
    exported = in_an_ascii_session(tmp_path / "data", "export", str(folder / "export"))

    for child in (imported, exported):
        assert child.returncode == 0, child.stderr.decode(errors="replace")
        assert b"\\udc" not in child.stdout, child.stdout
    assert b"from " + os.fsencode(tmp_path) + b"/M\\xfcsik/source" in imported.stdout
    assert b"to " + os.fsencode(tmp_path) + b"/M\\xfcsik/export," in exported.stdout
