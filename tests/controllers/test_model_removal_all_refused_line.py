"""The window's "Remove older models…" refused for every model it was to delete (a map being
computed for it, a folder holding the user's files) said "Removed 0 older
graph models (0 bytes freed); not removed: graph model 1 not removed: …" — a removal that did
not happen, reported first. The status line now gives only why nothing was removed."""

from __future__ import annotations

from musicsage.controllers.models import describe_removal
from musicsage.usecases.models import ModelRemoval

WHY = ("graph model 1 not removed: its map is being computed (process 42: the window's map or a "
       "`musicsage map`); try again when that ends")


def test_nothing_removed_says_only_why():
    level, text = describe_removal(ModelRemoval((), ((1, WHY),), 0))
    assert level == "warning"
    assert text == "G" + WHY[1:]
    assert "Removed" not in text and "freed" not in text
