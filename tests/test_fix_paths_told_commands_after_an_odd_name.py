"""A told command keeps ``--data-dir`` whatever names were shown before it (task
"fix_paths"). Paths shown holding "`musicsage " were remembered as names to leave alone, and
titles and reasons with them: after an untagged file named "`musicsage embed`.wav" was
shown (its title), the REAL command of an interrupted embed lost its ``--data-dir``, and
pasted it worked on the default library."""

from __future__ import annotations

from musicsage.commands.told_commands import on_library, ran_on, told_on_library
from musicsage.library.paths import display


def test_a_told_command_after_a_name_like_it_was_shown_names_the_library(tmp_path):
    lib = tmp_path / "lib"
    with told_on_library():
        ran_on(str(lib))
        display("`musicsage embed`")  # a title: the file's name, untagged
        display(f"{tmp_path}/x `musicsage train` y")
        told = on_library("interrupted: run `musicsage embed` again to do the rest; "
                          "then `musicsage train`")
    assert told == (f"interrupted: run `musicsage --data-dir {lib} embed` again to do the "
                    f"rest; then `musicsage --data-dir {lib} train`")
