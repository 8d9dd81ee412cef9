"""``python main.py`` opens the musicsage window (see ``musicsage.gui.app``); so does
``musicsage`` with no command.

Before Qt is imported, :func:`musicsage.gui.app.launch` checks that a window can open here; if
not (no display, or libraries Qt's X11 plugin needs are missing), one line says what is missing
and how to fix it or use the command line, instead of Qt's abort. ``--help`` and
``--screenshot`` (which renders offscreen when there is no display) need no display.
"""

import sys

if __name__ == "__main__":
    from musicsage.gui.app import launch

    sys.exit(launch(sys.argv[1:]))
