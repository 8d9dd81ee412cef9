"""The ``musicsage`` command line: parse, dispatch to one thin command per use case.

The commands live in :mod:`musicsage.commands` (one module per area); the work is in
:mod:`musicsage.usecases`. Every command takes ``--data-dir``. Expected failures
(:class:`MusicsageError`) print one line on stderr and exit 1; ``--json`` output goes to
stdout alone so a machine can read it (docs/cli.md). Heavy modules are imported inside the
handlers so ``musicsage --help`` stays fast.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Sequence

from musicsage.cli_errors import crashed, fail, lenient_output, opens_window, stdout_closed
from musicsage.failures import expected_failure
from musicsage.cli_parser import build_parser
from musicsage.commands import HANDLERS
from musicsage.commands.registry import check_inputs_first, library_use
from musicsage.context import AppContext
from musicsage.errors import MusicsageError

__all__ = ["HANDLERS", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; no command opens the window (``musicsage`` from a desktop menu).

    Every failure ends in one line on stderr (docs/cli.md, "Exit codes and messages"): an
    expected one (:class:`MusicsageError`, a file the system refuses, a library another
    program keeps locked) as ``musicsage COMMAND: reason`` with exit 1; a bug as one line
    naming the crash log that holds its traceback, with exit 70.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lenient_output()
    if opens_window(argv):
        from musicsage.gui.app import launch

        return launch(argv)
    args = build_parser().parse_args(argv)
    command = args.command
    ctx: AppContext | None = None
    try:
        check_inputs_first(args)
        ctx = AppContext.create(args.data_dir, library=library_use(args))
        return HANDLERS[command](args, ctx)
    except MusicsageError as exc:
        return fail(command, str(exc))
    except KeyboardInterrupt:
        return fail(command, "interrupted", code=130)
    except BrokenPipeError:
        return stdout_closed()
    except (sqlite3.DatabaseError, OSError) as exc:
        reason = expected_failure(exc, ctx)
        return fail(command, reason) if reason else crashed(command, argv, ctx)
    except Exception:  # noqa: BLE001 - a bug: one line here, the traceback in the crash log
        return crashed(command, argv, ctx)


if __name__ == "__main__":
    raise SystemExit(main())
