"""``python main.py`` opens the musicsage window (see ``musicsage.gui.app``); so does
``musicsage`` with no command.

Before Qt is imported, :func:`musicsage.gui.app.launch` checks that a window can open here; if
not (no display, or libraries Qt's X11 plugin needs are missing), one line says what is
missing and how to fix it or use the command line, instead of Qt's abort. ``--help`` and
``--screenshot`` (which renders offscreen when there is no display) need no display.

Ctrl-C and SIGTERM end the start-up in one line (exit 130, 143) from this file's first lines
on (:func:`musicsage.__main__.window_main`, as for ``musicsage``): while ``musicsage.gui.app``
was being imported, Ctrl-C gave Python's ``KeyboardInterrupt`` traceback and SIGTERM no word.

A closed stdout or stderr (``main.py … 2>&-``) is pointed at the null device first, as the
command line does (:func:`musicsage.startup.closed_output_to_devnull`): the window's error
lines landed in stdout, and descriptor 2 was left for the next file opened to take.

``--version`` prints the version as ``musicsage --version`` does (exit 0), one of the window's
options (:func:`musicsage.gui.app.parse_args`): no display needed, Qt not imported.
"""

import sys

if __name__ == "__main__":
    from musicsage.__main__ import window_main
    from musicsage.startup import closed_output_to_devnull

    closed_output_to_devnull()
    sys.exit(window_main())
