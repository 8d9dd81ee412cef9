"""``python -m musicsage …`` and the ``musicsage`` console script both start in :func:`main`
(``python main.py`` in :func:`window_main`), so Ctrl-C or SIGTERM while the command line (or
the window's start-up) is being imported ends it in one line (exit 130, 143): the command's own
(``musicsage stats: interrupted``), or the window's (``stopped before the window opened``);
the handler is :mod:`musicsage.startup`'s.

The window's module (:mod:`musicsage.gui.app`) needs no early import of its own to be covered:
the handlers stay through :func:`~musicsage.gui.app.launch` when no command is named."""

import sys

from musicsage.startup import WINDOW, command_of, install, restore


def main() -> int:
    """The ``musicsage`` console script and ``python -m musicsage``: the command line, or the
    window with no command. The handlers stay through the window's start-up (until
    :func:`~musicsage.gui.app.launch` has its own), but not through a command's run: its
    Ctrl-C is its own, which says what it kept (:mod:`musicsage.commands.stopping`)."""
    argv = sys.argv[1:]
    from musicsage.cli_errors import opens_window  # a few ms: the line depends on it

    window = opens_window(argv)
    install(WINDOW if window else command_of(argv))
    try:
        from musicsage.cli import main as cli_main  # the wait the handlers are for

        if not window:
            restore()
        return cli_main(argv)
    finally:
        restore()


def window_main() -> int:
    """``python main.py``: the window, under the handlers until it has its own."""
    install()
    try:
        from musicsage.gui.app import launch

        return launch(sys.argv[1:])
    finally:
        restore()


if __name__ == "__main__":
    raise SystemExit(main())
