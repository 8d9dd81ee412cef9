"""``as_default``: what the command line printed for a library, as it says it of the default
one — each command it tells to run without that library's ``--data-dir``. For the tests of a
message's other words, run on a temporary library: that the told commands name the library
is tests/test_hints_told_commands_name_their_library.py's to check."""

from __future__ import annotations

import os


def as_default(text: str, data_dir: "str | os.PathLike[str]") -> str:
    """``text`` without the ``--data-dir DIR `` its told commands carry for ``data_dir``."""
    from musicsage.context import library_option

    return text.replace(library_option(data_dir), "")
