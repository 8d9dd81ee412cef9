"""A status line that the user's next action made untrue gives way (the window clears it,
and a line held back no longer waits for it): "Nothing is queued: …" stayed on the bar for
8 s while the queue started right after played."""

from __future__ import annotations

from musicsage.controllers.status_queue import StatusQueue

NOTHING = "Nothing is queued: start a queue with Play similar on a track"


def test_a_line_shown_gives_way_and_held_copies_go_too():
    q = StatusQueue(5)
    q.showing("info", NOTHING, 0.0)
    assert q.gives_way(NOTHING, on_bar=NOTHING)  # the bar shows it: the window clears it
    assert not q.gives_way(NOTHING, on_bar="scanning music")  # another line: it stays
    q.showing("warning", "3 files could not be read", 1.0)
    assert q.hold("info", NOTHING, "", 2.0, "3 files could not be read")
    assert not q.gives_way(NOTHING, on_bar="3 files could not be read")
    assert q.take(6.0) is None  # held, it is not shown later either


def test_a_warning_that_gives_way_holds_the_bar_no_longer():
    q = StatusQueue(5)
    q.showing("warning", NOTHING, 0.0)
    assert q.gives_way(NOTHING, on_bar=NOTHING)
    assert not q.hold("info", "scanning music", "", 1.0, "")  # shown at once, not at 5 s
