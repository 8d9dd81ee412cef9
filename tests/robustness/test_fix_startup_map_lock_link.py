"""A map placed on a saved one (:func:`~musicsage.library.lock.map_lock_now`) opened the map
lock a second time, following links, after it was checked: a symbolic link swapped in at its
name meanwhile (another member of a group sharing the cache) had the run write its pid over
the text of whatever file the link named ("precious notes" became "5465 map"). Now that open
does not follow a link either: nothing is placed, and the file it points to is left alone."""

from __future__ import annotations

import os

import musicsage.library.lock as lock


def test_a_link_swapped_in_after_the_check_is_not_written_through(tmp_path, monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("precious notes")
    maps = tmp_path / "maps"
    maps.mkdir()
    checked = lock._map_lock_path

    def link_swapped_in(directories):
        path, made = checked(directories)  # a plain file when it was checked
        os.unlink(path)
        os.symlink(notes, path)
        return path, made

    monkeypatch.setattr(lock, "_map_lock_path", link_swapped_in)
    with lock.map_lock_now([maps]) as took:
        assert not took, "the lock taken through a link"
    assert notes.read_text() == "precious notes"
    assert (maps / lock.MAP_LOCK).is_symlink(), "the link is left for its owner to remove"
