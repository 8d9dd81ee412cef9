"""``python -m musicsage …`` is the same as the ``musicsage`` console script.

Ctrl-C or SIGTERM while the command line (or the window's start-up) is being imported ends it
in one line (exit 130, 143), where Ctrl-C gave a ``KeyboardInterrupt`` traceback and SIGTERM no
word; Python's own handling is back before a command runs, which ends in its own line."""

import os
import signal
import sys


def _stopped(signum: int, _frame) -> None:
    word = "interrupted" if signum == signal.SIGINT else "terminated"
    os.write(2, f"musicsage: {word}: stopped while starting\n".encode())
    os._exit(128 + signum)


_early = {sig: signal.signal(sig, _stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
from musicsage.cli import main  # noqa: E402 - after the handlers: this import is the wait
from musicsage.cli_errors import opens_window  # noqa: E402

if opens_window(sys.argv[1:]):
    import musicsage.gui.app  # noqa: E402, F401 - the window's start-up, under _stopped too
for _sig, _handler in _early.items():
    signal.signal(_sig, _handler)
raise SystemExit(main())
