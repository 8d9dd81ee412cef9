"""A settings file the user may not read (mode 000, another user's 0600 file) is said as
unreadable: the line said "make it writable", and a file made writable still did not read."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

WORDS = textwrap.dedent("""
    import sys
    from musicsage.gui.window_settings import unsaved_settings_words
    print(unsaved_settings_words(sys.argv[1]))
""")


def _without_dac_override() -> list[str]:
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                            "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root and setpriv cannot drop CAP_DAC_OVERRIDE here")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_an_unreadable_settings_file_is_said_unreadable(tmp_path):
    ini = tmp_path / "musicsage.conf"
    ini.write_text("[view]\nk=17\n", encoding="utf-8")
    ini.chmod(0o000)
    try:
        run = subprocess.run([*_without_dac_override(), sys.executable, "-c", WORDS, str(ini)],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    finally:
        ini.chmod(0o644)
    assert run.stdout.strip() == (f"Window settings in {ini} cannot be read or saved: make it "
                                  "readable and writable by you to keep the layout and choices")
    assert ini.read_text(encoding="utf-8") == "[view]\nk=17\n", "the file is left as it is"


def test_a_readable_file_that_cannot_be_written_still_says_make_it_writable(tmp_path):
    ini = tmp_path / "musicsage.conf"
    ini.write_text("[view]\nk=17\n", encoding="utf-8")
    ini.chmod(0o444)
    try:
        run = subprocess.run([*_without_dac_override(), sys.executable, "-c", WORDS, str(ini)],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    finally:
        ini.chmod(0o644)
    assert run.stdout.strip() == (f"Window settings not saved to {ini}: make it writable to "
                                  "keep the layout and choices")
