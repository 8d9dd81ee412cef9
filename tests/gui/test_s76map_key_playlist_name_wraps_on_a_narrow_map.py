"""The map's key on a narrow map (an 800x600 window, a selection and a playlist shown): each
entry was held on one line, so the playlist's entry, wider than the map, was cut off at the
key's right edge mid-letter — "playlist ‘Late Night Driving Thr", its size gone. Its name
now wraps between its words; the other entries stay whole on their lines."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from musicsage.controllers.map_tools import map_key_entries
from musicsage.gui.map_marks import make_selection_key, selection_key_text

NAME = "Late Night Driving Through the City Vol. 1"


@pytest.mark.parametrize("width", [180, 220])
def test_the_playlist_entry_fits_the_key_of_a_narrow_map(qtbot, width):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(width, 800)
    key = make_selection_key(parent)
    key.setText(selection_key_text(map_key_entries(True, NAME, playlist_size=45)), NAME)
    key.fit_to(width, 800)
    key.show()
    assert not key.folded
    assert key.body.minimumSizeHint().width() <= key.body.width(), \
        "a line of the key is wider than the key: cut at its edge"


def test_other_entries_are_held_on_one_line():
    text = selection_key_text(map_key_entries(True, NAME, playlist_size=45))
    assert "graph&nbsp;only" in text and "audio&nbsp;only" in text
    assert "playlist&nbsp;‘Late Night" in text
