"""The key under the map names a highlighted playlist with its size, as the playlist list
("Mix  (3)") and the legend ("Mix (3)") do: the key's "playlist ‘Mix’" alone did not say
which of the user's playlists called "Mix" the squares on the map were."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QTextDocument
from test_map_points import view  # noqa: F401 (the fixture)

from musicsage.controllers.map_tools import map_key_entries
from musicsage.gui.map_view import MapView


def _key_words(v: MapView) -> str:
    doc = QTextDocument()
    doc.setHtml(v.selection_key.text())
    return doc.toPlainText().replace("\u00a0", " ")


def test_same_named_playlists_are_told_apart_by_their_size_in_the_key(qtbot, view):  # noqa: F811
    v = view
    rng = np.random.default_rng(1)
    v.set_points(np.arange(1, 41), rng.normal(size=(40, 2)).astype(np.float32), ["t"] * 40)
    v.set_highlight([1, 2, 3], "Mix")
    qtbot.wait(10)
    assert v.selection_key.isVisible()
    first = _key_words(v)
    assert "playlist ‘Mix’ (3)" in first, first
    v.set_highlight([4, 5, 6, 7, 7, 99], "Mix")  # a track listed twice, one not on the map
    qtbot.wait(10)
    assert "playlist ‘Mix’ (6)" in _key_words(v), "the list's number: its entries"
    v.set_points(v.track_ids, v.xy, ["t"] * 40, fit=False)  # the same map reloaded
    assert "playlist ‘Mix’ (6)" in _key_words(v)
    v.set_highlight([], "")
    assert not v.selection_key.isVisible()


def test_the_key_entry_keeps_the_size_whole_after_a_long_name():
    words = dict(map_key_entries(False, "B" * 60, playlist_size=1234))["playlist"]
    assert words.endswith("…’ (1,234)"), words
    assert dict(map_key_entries(False, "Mix"))["playlist"] == "playlist ‘Mix’"
