"""``musicsage --version``: the version, exit 0. It went to the window's parser, which said
``musicsage: error: unrecognized arguments: --version`` (exit 2), so a user filing a report,
or a script checking what is installed, had no way to ask."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import __version__
from musicsage.cli import main


@pytest.mark.parametrize("argv", [["--version"], ["--data-dir", "/nowhere", "--version"]])
def test_version_is_printed_and_exits_0(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)

    out, err = capsys.readouterr()
    assert exit_.value.code == 0 and err == ""
    assert out == f"musicsage {__version__}\n"


@pytest.mark.parametrize("argv", [["--version"], ["--data-dir", "/nowhere", "--version"]])
def test_main_py_prints_the_version_too(argv):
    """``python main.py --version`` (the window's front door) said "unrecognized arguments"."""
    main_py = Path(__file__).resolve().parents[1] / "main.py"

    run = subprocess.run([sys.executable, str(main_py), *argv], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})

    assert (run.returncode, run.stdout, run.stderr) == (0, f"musicsage {__version__}\n", "")
