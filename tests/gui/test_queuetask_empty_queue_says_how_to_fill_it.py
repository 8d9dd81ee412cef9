"""The empty Queue tab says how a queue starts. It said "select a region on the map", which
queues nothing (the region's bar has "Play in order" for that), and left out "Play playlist";
the status line's answer to Next with nothing queued named all three
(:func:`~musicsage.controllers.queue_plans.no_step_text`)."""

from __future__ import annotations

from musicsage.controllers.queue_plans import no_step_text
from musicsage.gui.playlist_list import PLAY_TEXT
from musicsage.gui.queue_panel import QueuePanel


def test_the_empty_queue_names_every_way_to_start_one(qtbot):
    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.empty.isVisible()
    text = panel.empty.text()
    for action in ("Play similar", PLAY_TEXT, "Play in order"):
        assert action in text, text
        assert action in no_step_text(True, queued=False), "the status line names it too"
    assert "select a region" not in text, "a region alone queues nothing"
