"""A library lock file that is a symbolic link (left by a copy or a dotfile manager, or put
there by another member of a group sharing the library) is refused in one line, and the file
it points to is left as it was. The run opened the link, followed it and wrote its pid over
the text of whatever file it named ("precious notes" became "28642 scan"); a dangling link
had it create the file it named, wherever that was."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.lock import held_lock_file


def _hold(path) -> None:
    with held_lock_file(str(path), stage="scan", activity="scan", doing="scan", progress=None,
                        cancel=None, unwritable="cannot change the library"):
        pass


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("precious notes")
    library = tmp_path / "library"
    library.mkdir()
    lock = library / "library.sqlite3.scan-lock"
    lock.symlink_to(notes)
    with pytest.raises(MusicsageError) as refused:
        _hold(lock)
    line = str(refused.value)
    assert "\n" not in line and f"the lock file {lock}" in line and "symbolic link" in line
    assert notes.read_text() == "precious notes"
    assert lock.is_symlink(), "the user's link is theirs to remove"


def test_a_dangling_link_makes_no_file_where_it_points(tmp_path):
    library, elsewhere = tmp_path / "library", tmp_path / "elsewhere.txt"
    library.mkdir()
    lock = library / "library.sqlite3.embed-lock"
    lock.symlink_to(elsewhere)
    with pytest.raises(MusicsageError):
        _hold(lock)
    assert not elsewhere.exists()
