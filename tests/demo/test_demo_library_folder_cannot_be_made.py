"""``musicsage demo --data-dir D`` where D cannot be made (a read-only folder above it, a file
in the way) names the library folder and --data-dir: it said "cannot write the demo music
into D/demo-music …; choose another folder", a folder the user never chose."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_a_data_dir_under_a_file_names_the_library_folder(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x\n", encoding="utf-8")
    data = afile / "library"
    code = main(["demo", "--data-dir", str(data), "--tracks", "8", "--seconds", "1",
                 "--until", "generate"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage demo: cannot build the demo in the library folder {data}: a file is in "
        f"the way at {afile}; move it away, or choose another --data-dir (nothing was changed)")
    assert afile.read_text(encoding="utf-8") == "x\n", "the user's file stays"


def test_a_data_dir_under_a_file_is_named_with_the_music_elsewhere(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x\n", encoding="utf-8")
    data, music = afile / "library", tmp_path / "music"
    code = main(["demo", "--data-dir", str(data), str(music), "--tracks", "8", "--seconds",
                 "1", "--until", "generate"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage demo: cannot build the demo in the library folder {data}: a file is in "
        f"the way at {afile}; move it away, or choose another --data-dir (nothing was changed)")
    assert not music.exists(), "nothing was written"


@pytest.mark.parametrize("music_elsewhere", [False, True])
def test_a_data_dir_in_a_read_only_folder_names_the_library_folder(tmp_path, music_elsewhere):
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    prefix = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
              if os.geteuid() == 0 else [])
    read_only = tmp_path / "ro"
    read_only.mkdir()
    data = read_only / "library"
    read_only.chmod(0o555)
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "musicsage", "demo",
                               "--data-dir", str(data), "--tracks", "8", "--seconds", "1",
                               "--until", "generate",
                               *([str(tmp_path / "music")] if music_elsewhere else [])],
                              capture_output=True, text=True, timeout=120, cwd=REPO)
    finally:
        read_only.chmod(0o755)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr.strip() == (  # `scan`'s words for the same cause
        f"musicsage demo: cannot make a library in {data}: the folder above it, {read_only}, "
        "is not writable (Permission denied): choose another --data-dir or make it writable")
    assert not data.exists()
