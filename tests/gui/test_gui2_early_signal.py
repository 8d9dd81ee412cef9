"""Ctrl-C or SIGTERM in the first moments of ``python main.py``, ``python -m musicsage`` or the
``musicsage`` console script — while ``musicsage.gui.app`` or the command line is still being
imported, before :func:`~musicsage.gui.app.launch` or the command sets its handlers — ends
the start-up in the same one line as later (exit 130, 143): Ctrl-C gave Python's
``KeyboardInterrupt`` traceback there, SIGTERM ended it without a word; the console script
(``musicsage.cli:main`` then) had neither. (The interpreter's own start-up, before the first
line of ours runs, is beyond any code of ours.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from signal_helpers import WORDS, signal_while_starting

ROOT = Path(__file__).resolve().parents[2]

SLOW_IMPORT = """
import importlib.abc, runpy, sys, time

class SlowImport(importlib.abc.MetaPathFinder):
    # the window's module on a slow disk: the signal comes while it is being imported
    def find_spec(self, name, path=None, target=None):
        if name == "{module}":
            print("importing", flush=True)
            for _ in range(600):  # short sleeps: a signal landing just before a single long
                time.sleep(0.1)   # sleep began was only handled when it ended (60 s later)
        return None

sys.meta_path.insert(0, SlowImport())
sys.argv = ["{script}", *sys.argv[1:]]
{run}
"""

WINDOW = "musicsage: {word}: stopped before the window opened"
COMMAND = "musicsage stats: {word}"  # as the command says it once it runs (musicsage.cli)
RUN_MODULE = 'runpy.run_module("musicsage", run_name="__main__", alter_sys=True)'
ENTRY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["musicsage"]
SCRIPT = "from {0} import {1}; sys.exit({1}())".format(*ENTRY.split(":"))  # as pip writes it
FRONT_DOORS = {  # how it is started, the import the signal lands in, its command, its line
    "main.py": ("musicsage.gui.app", 'runpy.run_path("main.py", run_name="__main__")', [],
                WINDOW),
    "-m musicsage, importing its command line": ("musicsage.cli", RUN_MODULE, [], WINDOW),
    "-m musicsage, its window": ("musicsage.gui.app", RUN_MODULE, [], WINDOW),
    "-m musicsage stats": ("musicsage.commands", RUN_MODULE, ["stats"], COMMAND),
    "musicsage, its window": ("musicsage.gui.app", SCRIPT, [], WINDOW),
    "musicsage stats": ("musicsage.commands", SCRIPT, ["stats"], COMMAND),
}


@pytest.mark.parametrize("door", sorted(FRONT_DOORS))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_main_imports_the_window_ends_in_one_line(tmp_path, library, sig,
                                                                door):
    module, run, command, line = FRONT_DOORS[door]
    code = SLOW_IMPORT.format(module=module, script=door.split()[0], run=run)
    before = library.db_path.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "c"))
    child = subprocess.Popen([sys.executable, "-c", code, *command, "--data-dir",
                              str(library.data_dir)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    err = signal_while_starting(child, "importing", sig, waited_for="the import")
    word = WORDS[sig]
    assert "Traceback" not in err
    assert (child.returncode, err) == (128 + sig, line.format(word=word) + "\n")
    assert library.db_path.read_bytes() == before, "the library was touched"


def test_a_command_gets_pythons_handlers_back():
    """The early handlers are gone once a command runs (``python -m musicsage stats``): its
    Ctrl-C is the command's own, which says what it kept (:mod:`musicsage.cli`)."""
    probe = ("import runpy, signal, sys, musicsage.cli as cli\n"
             "cli.main = lambda *_argv: print(signal.getsignal(signal.SIGINT) is signal."
             "default_int_handler, signal.getsignal(signal.SIGTERM) == signal.SIG_DFL) or 0\n"
             f"sys.argv = ['musicsage', 'stats']\n{RUN_MODULE}")
    seen = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert seen.stdout.split() == ["True", "True"], seen.stderr


def test_the_console_script_starts_where_python_m_does():
    """``musicsage`` (the installed script) goes through :func:`musicsage.__main__.main`, as
    ``python -m musicsage`` does: it named ``musicsage.cli:main``, under no early handler."""
    assert ENTRY == "musicsage.__main__:main"
