"""``python main.py`` opens the musicsage window (see ``musicsage.gui.app``).

Before Qt is imported, :func:`musicsage.display.display_problem` checks that a window can
open here; if not (no display, or libraries Qt's X11 plugin needs are missing), one line says
what is missing and how to fix it or use the command line, instead of Qt's abort. ``--help``
and ``--screenshot`` (which renders offscreen when there is no display) need no display.
"""

import sys


def _needs_display(argv: list[str]) -> bool:
    return not any(a in ("-h", "--help") or a.startswith("--screenshot") for a in argv)


if __name__ == "__main__":
    from musicsage.display import display_problem

    problem = display_problem() if _needs_display(sys.argv[1:]) else None
    if problem:
        print(f"musicsage: {problem}", file=sys.stderr)
        sys.exit(1)
    from musicsage.gui.app import main

    sys.exit(main(sys.argv[1:]))
