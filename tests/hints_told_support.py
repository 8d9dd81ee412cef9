"""``as_default``: what the command line printed for a library, as it says it of the default
one — each command it tells to run without that library's ``--data-dir``. For the tests of a
message's other words, run on a temporary library: that the told commands name the library
is tests/test_hints_told_commands_name_their_library.py's to check."""

from __future__ import annotations

import os
import re


def as_default(text: str, data_dir: "str | os.PathLike[str]") -> str:
    """``text`` without the ``--data-dir DIR `` its told commands carry for ``data_dir``: only
    where a command starts ("`musicsage ", "or musicsage "), once each — a doubled option, or
    one pushed into a path or a title elsewhere, stays for the test to see."""
    from musicsage.context import library_option

    option = re.escape(library_option(data_dir))
    return re.sub(rf"(`musicsage |or musicsage ){option}", r"\1", text)
