"""One decision of what training needs, worded for each front end: the window names its menu
items, the command line its commands, and a use case's note (the command line's words) reads
as the window's once the window has put its words in."""

from __future__ import annotations

import pytest

from musicsage.controllers.wording import window_note
from musicsage.graph.reports import MIN_MEMBERSHIPS, training_need

ENOUGH = [(p, t) for p in range(2) for t in range(MIN_MEMBERSHIPS)]


@pytest.mark.parametrize("pairs, usable, unresolved", [
    ([], None, False), ([], None, True), (ENOUGH, 0, False), (ENOUGH, 7, True)])
def test_each_need_names_the_front_ends_own_way(pairs, usable, unresolved):
    window = training_need(pairs, usable=usable, unresolved=unresolved)
    cli = training_need(pairs, usable=usable, unresolved=unresolved, cli=True)
    assert window and cli and window != cli
    assert "`musicsage " in cli and "musicsage" not in window
    assert window_note(f"no trained graph model yet: training one {cli}") == (
        f"no trained graph model yet: training one {window}")


def test_enough_memberships_of_analysed_tracks_can_train():
    assert training_need(ENOUGH, usable=MIN_MEMBERSHIPS, unresolved=True) is None
    assert training_need(ENOUGH, usable=None, unresolved=False) is None  # not counted
    few = training_need(ENOUGH[:5], usable=0, unresolved=False, cli=True)
    assert few == training_need(ENOUGH[:5], usable=0, unresolved=False)  # no command to name
    assert few.startswith(f"needs at least {MIN_MEMBERSHIPS} playlist memberships (this "
                          "library has 5)")
