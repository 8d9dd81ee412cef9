"""Retrain in a library without playlists says where to import them: it named "File ▸ Import
playlists", an entry the File menu does not have (it is "Import playlists…", as the training
dock's own line about playlists names it)."""

from __future__ import annotations

import re


def test_the_entry_retrain_names_is_the_file_menus(qtbot, make_window, library):
    from musicsage.controllers.training import NO_PLAYLISTS

    w = make_window(library)
    file_menu = next(a.menu() for a in w.menuBar().actions()
                     if a.text().replace("&", "") == "File")
    entries = {a.text().replace("&", "") for a in file_menu.actions() if not a.isSeparator()}
    named = re.findall(r"File ▸ ([^)]+)\)", NO_PLAYLISTS)
    assert named and all(name in entries for name in named), (named, sorted(entries))
