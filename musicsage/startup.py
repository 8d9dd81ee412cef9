"""The front doors' first lines: Ctrl-C and SIGTERM while musicsage starts end it in one line.

``musicsage`` (the console script), ``python -m musicsage`` and ``python main.py`` all start
under it (:func:`musicsage.__main__.main`, :func:`~musicsage.__main__.window_main`). Importing the command line or the window takes a
moment (a cold disk: seconds); a Ctrl-C then gave Python's ``KeyboardInterrupt`` traceback
and SIGTERM ended the process without a word. Under :func:`install` either ends it at once in
the line the rest of the run uses (exit 130, 143): ``musicsage COMMAND: interrupted`` for a
command, ``musicsage: interrupted: stopped before the window opened`` for the window
(:func:`musicsage.gui.app.launch` and :mod:`musicsage.gui.stop_signals` say it with
:func:`starting_line` until the window is there to close). Nothing is lost by stopping then:
no library is open yet. A closed stdout or stderr is pointed at the null device before the
command runs (:func:`closed_output_to_devnull`).

Only the standard library at module level: this module is imported before anything else. The
entry points live in :mod:`musicsage.__main__`, above the command line and the window, which
use this module's handler and words: here they would make an import cycle.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Sequence

WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
"""How a line about a signal names it (Ctrl-C is SIGINT); the command line's and the window's."""

WINDOW = None
"""The :data:`_command` of the window's start-up (no command)."""

_command: str | None = WINDOW
"""What is starting: the command's name ("" for ``--help``), or :data:`WINDOW`."""

_previous: dict[int, object] = {}
"""The handlers :func:`install` replaced, for :func:`restore`."""


def starting_line(signum: int) -> str:
    """The one line a signal that stops the start-up ends it with."""
    if _command is WINDOW:
        return f"musicsage: {WORDS.get(signum, 'stopped')}: stopped before the window opened"
    return command_line(_command, signum)


def command_line(command: str, signum: int) -> str:
    """``musicsage COMMAND: interrupted`` (``musicsage: …`` for ``--help``): the same line
    whether the signal stopped the command while it was imported, parsed or run
    (:func:`musicsage.cli.main`)."""
    return f"musicsage {command}".rstrip() + f": {WORDS.get(signum, 'stopped')}"


def stopped_at_start(signum: int, _frame) -> None:
    """The start-up's handler: its line, then exit 128 + the signal at once (no cleanup is
    due: nothing is open yet). A closed stderr (``2>&-``) must not change the status: the
    write's OSError ended the process with 1, or was swallowed by the code it interrupted
    and the start-up went on."""
    try:
        os.write(2, (starting_line(signum) + "\n").encode(errors="replace"))
    except OSError:
        pass
    os._exit(128 + signum)


def closed_output_to_devnull() -> None:
    """Point a closed stdout or stderr (``>&-``, ``2>&-``) at the null device, for the run.

    Python starts with ``sys.stderr`` None then, and ``print(file=None)`` writes to stdout:
    the error line of ``stats`` landed in what a script kept as the output, a note after the
    results; tqdm's bars crashed ``scan``, ``embed`` and ``train`` (exit 70) before any work,
    and ``--json`` crashed on a closed stdout. What was closed was not wanted: it goes
    nowhere, and the exit status is the command's own. The descriptor is filled too: the
    next file opened would otherwise get number 1 or 2, and a C library's message (Qt's,
    libsndfile's) would be written into it — a library database, say."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:  # closed: the null device takes its number
            try:
                null = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                continue
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def install(command: str | None = WINDOW) -> None:
    """Ctrl-C and SIGTERM end the start-up of ``command`` (the window by default) until
    :func:`restore`; already installed, the handlers stay as they are. A signal ignored as
    the process started (``musicsage embed &`` from a script, ``nohup``) stays ignored: the
    one who started it asked for that."""
    global _command
    if not _previous:
        _command = command
    for sig in WORDS:
        if sig not in _previous and signal.getsignal(sig) != signal.SIG_IGN:
            _previous[sig] = signal.signal(sig, stopped_at_start)


def restore() -> None:
    """Put back the handlers :func:`install` replaced (none: nothing to do)."""
    global _command
    while _previous:
        sig, handler = _previous.popitem()
        signal.signal(sig, restorable(handler))
    _command = WINDOW


def restorable(handler: object) -> object:
    """``handler``, saved from :func:`signal.signal` or :func:`signal.getsignal`, as
    ``signal.signal`` can put it back. Python says None for a handler set outside Python (a C
    library's) and cannot reinstall a handler it did not set: ``signal.signal(sig, None)``
    raised TypeError — in a ``finally``, over the command's own outcome — so the signal's
    default action (SIG_DFL) comes back in its place. SIG_IGN comes back as it was."""
    return signal.SIG_DFL if handler is None else handler


def command_of(argv: Sequence[str]) -> str:
    """The command ``argv`` names, as its lines name it ("" when none: ``--help``)."""
    from musicsage.cli_errors import WINDOW_VALUE_OPTIONS
    from musicsage.text import printable

    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in WINDOW_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return printable(arg)
    return ""

