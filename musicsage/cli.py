"""The ``musicsage`` command line: parse, dispatch to one thin command per use case.

The commands live in :mod:`musicsage.commands` (one module per area); the work is in
:mod:`musicsage.usecases`. Every command takes ``--data-dir``. Expected failures
(:class:`MusicsageError`) print one line on stderr and exit 1; ``--json`` output goes to
stdout alone so a machine can read it (docs/cli.md). Heavy modules are imported inside the
handlers so ``musicsage --help`` stays fast.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import sys
from contextlib import contextmanager
from types import FrameType
from typing import Iterator, Sequence

from musicsage.cli_errors import crashed, fail, lenient_output, opens_window, stdout_closed
from musicsage.failures import expected_failure
from musicsage.cli_parser import build_parser
from musicsage.commands import HANDLERS
from musicsage.commands.registry import check_inputs_first, library_use
from musicsage.commands.stopping import StopRequests, Stopped, Terminated, stop_requests
from musicsage.commands.told_commands import ran_on, told_on_library
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.startup import closed_output_to_devnull, command_line, command_of

__all__ = ["HANDLERS", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; no command opens the window (``musicsage`` from a desktop menu).

    Every failure ends in one line on stderr (docs/cli.md, "Exit codes and messages"): an
    expected one (:class:`MusicsageError`, a file the system refuses, a library another
    program keeps locked) as ``musicsage COMMAND: reason`` with exit 1; a bug as one line
    naming the crash log that holds its traceback, with exit 70. Ctrl-C and SIGTERM end it
    in one line too (exit 130, 143); ``scan``, ``embed`` and ``tags --library`` say there
    what they kept (:mod:`musicsage.commands.stopping`).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    closed_output_to_devnull()  # `2>&-`: its lines go nowhere, not into stdout
    lenient_output()
    if opens_window(argv):
        from musicsage.gui.app import launch

        return launch(argv, prog="musicsage")
    with told_on_library():  # a command a line tells to run names the library it ran on
        return _run(argv)


def _run(argv: list[str]) -> int:
    """Parse ``argv``, run its command, and end every failure in one line (see :func:`main`)."""
    command = command_of(argv)  # until the parse names it: a signal may come while it runs
    ctx: AppContext | None = None
    try:
        with terminated_as_interrupted():
            args = build_parser().parse_args(argv)
            command = args.command
            ran_on(args.data_dir)
            read_typed_paths(args)
            check_inputs_first(args)
            say_upgraded(say=False)  # only this command's: not a library opened before it
            ctx = AppContext.create(args.data_dir, library=library_use(args))
            try:
                return HANDLERS[command](args, ctx)
            finally:
                say_upgraded()
    except Stopped as exc:  # scan, embed, tags --library: what was kept, how to finish
        return fail(command, str(exc), code=exc.code)
    except MusicsageError as exc:
        return fail(command, str(exc))
    except Terminated:
        return stopped_by(command, signal.SIGTERM)
    except KeyboardInterrupt:
        return stopped_by(command, signal.SIGINT)
    except BrokenPipeError:
        return stdout_closed()
    except (sqlite3.DatabaseError, OSError) as exc:
        reason = expected_failure(exc, ctx)
        return fail(command, reason) if reason else crashed(command, argv, ctx)
    except Exception:  # noqa: BLE001 - a bug: one line here, the traceback in the crash log
        return crashed(command, argv, ctx)


TYPED_PATHS_TOO = ("folder", "m3u", "out_dir")
"""Path arguments outside :data:`~musicsage.commands.registry.PATH_ARGUMENTS` (which refuses
an empty one): ``forget FOLDER`` and ``--m3u FILE``, each with its own words for an empty one,
and ``train --dataset DIR OUT``, read as its ``--out``."""


def read_typed_paths(args: argparse.Namespace) -> None:
    """Every path argument of the command as the shell or a file manager meant it
    (:func:`~musicsage.library.paths.typed_path`: ``file://`` URIs, a quoted ``~``), as
    ``scan`` read its PATHs: ``export file:///m/out`` made a folder literally named
    ``file:`` in the current one and wrote there, and ``forget file:///m/Music`` said the
    folder was not one of the library's. ``--data-dir`` is read so in
    :meth:`AppContext.create`, which the window's goes through too."""
    from musicsage.commands.registry import PATH_ARGUMENTS
    from musicsage.library.paths import typed_path

    attrs = [attr for attr, _label, _what in PATH_ARGUMENTS.get(args.command, ())]
    for attr in attrs + [a for a in TYPED_PATHS_TOO if a not in attrs]:
        value = getattr(args, attr, None)
        if isinstance(value, list):
            setattr(args, attr, [typed_path(v) if isinstance(v, str) else v for v in value])
        elif isinstance(value, str):
            setattr(args, attr, typed_path(value))


def say_upgraded(say: bool = True) -> None:
    """Say on stderr, once, that the command upgraded the library's schema and where the old
    one is kept (the older musicsage cannot open it now): before the command's failure line,
    if any. The library only records it; the window says it on its status line. ``say``
    False: forget what was recorded before the command (``main`` called in one process
    again, as the tests do: a later command printed an earlier one's upgrade)."""
    if "musicsage.library.db" not in sys.modules:
        return  # the command opened no library (``tags FILE``, ``train --dataset``)
    from musicsage.library.db import take_upgrade_lines

    for line in take_upgrade_lines():
        if say:
            print(f"musicsage: {line}", file=sys.stderr)


def stopped_by(command: str, signum: int) -> int:
    """Ctrl-C or SIGTERM ended the command: its line, worded as while it was imported
    (:mod:`musicsage.startup`), and 128 + the signal."""
    print(command_line(command, signum), file=sys.stderr)
    return 128 + signum


@contextmanager
def terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM during the block raises :class:`Terminated`, a ``KeyboardInterrupt``: the
    command cleans up and ends in one line as after Ctrl-C (exit 143), where SIGTERM killed
    it without a word. Ctrl-C raises ``KeyboardInterrupt`` as ever.

    Python runs a handler only when the main thread runs Python again: ``forget``,
    ``import``, ``models --use``, ``train`` — every command without a
    :func:`~musicsage.commands.stopping.stop_requests` block of its own — waiting up to 30 s
    for another program's write lock of the library took no Ctrl-C however often pressed.
    The block is one such ``stop_requests`` whose first signal stops the command at once, as
    before: its watch ends the process in one line when a second one is not taken within
    :data:`~musicsage.commands.stopping.STUCK_S` (what finished is kept: each write is one
    transaction). A command that cancels on the first signal (``scan``, ``embed``, ``demo``,
    ``tags --library``) sets its own block within. The handlers it replaced come back after
    the block; a signal the process was started with ignored stays ignored."""
    with stop_requests(handler=_stop_now):
        yield


def _stop_now(requests: StopRequests, signum: int, _frame: FrameType | None) -> None:
    """The handler of :func:`terminated_as_interrupted`: taken (its watch leaves the process
    be), it raises at once."""
    requests.took(signum)
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


if __name__ == "__main__":
    raise SystemExit(main())
