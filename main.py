"""``python main.py`` opens the musicsage window (see ``musicsage.gui.app``)."""

import sys

from musicsage.gui.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
