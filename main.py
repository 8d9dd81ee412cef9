"""``python main.py`` opens the musicsage window (see ``musicsage.gui.app``); so does
``musicsage`` with no command.

Before Qt is imported, :func:`musicsage.gui.app.launch` checks that a window can open here; if
not (no display, or libraries Qt's X11 plugin needs are missing), one line says what is missing
and how to fix it or use the command line, instead of Qt's abort. ``--help`` and
``--screenshot`` (which renders offscreen when there is no display) need no display.

Ctrl-C and SIGTERM end the start-up in one line (exit 130, 143) from this file's first lines
on: while ``musicsage.gui.app`` was being imported, before :func:`launch` sets its own
handlers, Ctrl-C gave Python's ``KeyboardInterrupt`` traceback and SIGTERM no word at all.
"""

import os
import signal
import sys


def _stopped(signum: int, _frame) -> None:
    """The line :func:`musicsage.gui.app.launch` gives to a signal before the window opens
    (the same words: a script or a user sees one behaviour however early it came)."""
    word = "interrupted" if signum == signal.SIGINT else "terminated"
    os.write(2, f"musicsage: {word}: stopped before the window opened\n".encode())
    os._exit(128 + signum)


if __name__ == "__main__":
    early = {sig: signal.signal(sig, _stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    from musicsage.gui.app import launch

    status = launch(sys.argv[1:])  # its handlers, then these back
    for sig, handler in early.items():  # a signal as it exits is not "before the window"
        signal.signal(sig, handler)
    sys.exit(status)
