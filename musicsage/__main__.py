"""``python -m musicsage …`` is the same as the ``musicsage`` console script."""

from musicsage.cli import main

raise SystemExit(main())
