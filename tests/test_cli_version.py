"""``musicsage --version``: the version, exit 0. It went to the window's parser, which said
``musicsage: error: unrecognized arguments: --version`` (exit 2), so a user filing a report,
or a script checking what is installed, had no way to ask."""

from __future__ import annotations

import pytest

from musicsage import __version__
from musicsage.cli import main


@pytest.mark.parametrize("argv", [["--version"], ["--data-dir", "/nowhere", "--version"]])
def test_version_is_printed_and_exits_0(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)

    out, err = capsys.readouterr()
    assert exit_.value.code == 0 and err == ""
    assert out == f"musicsage {__version__}\n"
