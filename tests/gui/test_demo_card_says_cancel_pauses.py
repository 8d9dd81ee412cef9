"""The welcome card says what Cancel does to the demo build (it pauses it; what is made is
kept; Open demo library resumes it), while the build runs and after Cancel."""

from __future__ import annotations

from musicsage.controllers.demo import STOPPED_STAGE, paused_note
from musicsage.demo.state import DemoState
from musicsage.gui.welcome import WelcomeView
from musicsage.progress import Progress


def test_the_card_says_cancel_pauses_and_what_it_keeps(qtbot):
    card = WelcomeView()
    qtbot.addWidget(card)
    card.show()
    card.show_busy("Building the demo library…")
    assert card.pause_hint.isVisible()
    assert "what it has made is kept" in card.pause_hint.text()
    assert "resumes" in card.cancel_button.toolTip()
    card.show_idle()  # Cancel: the build ended
    note = paused_note(DemoState("/music", "f", 12, 0, 1.0, {"generate": {}}))
    card.show_progress(Progress(STOPPED_STAGE, message=note))
    assert not card.pause_hint.isVisible()
    assert card.stopped.isVisible() and card.stopped.text() == note
    assert card.demo_button.isEnabled(), "a pause is no refusal: the demo may be opened again"
