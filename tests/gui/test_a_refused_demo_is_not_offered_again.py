"""``main.py --data-dir RO --demo`` on a folder that cannot be written: the demo is refused at
launch, and the card said why — yet still offered "Open demo library", which was refused
again for the same reason. While the refusal stands the button is off, the refusal its
tooltip; Try again (the folder made writable, maybe) offers it again. A build that stopped
(not refused) keeps it: opening again resumes that build."""

from __future__ import annotations

from gui_support import settle
from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE, refused_note, stopped_note
from musicsage.gui.welcome import WelcomeView
from musicsage.progress import Progress

SMALL = {"n_tracks": 12, "seconds": 1.0, "audio_model": "spectral", "train_steps": 20,
         "workers": 1}


def test_a_demo_refused_at_launch_is_not_offered_on_the_card(qtbot, make_window, tmp_path):
    ctx = AppContext.create(tmp_path / "library")
    # --data-dir D --demo with its music asked into the folder holding D: refused at once
    options = {**SMALL, "music_dir": str(tmp_path)}
    w = make_window(ctx, wait=False, demo_ctx=lambda: ctx, demo_options=options)
    w.app.demo.open()  # main.py --demo's first event
    settle(qtbot, w)
    card = w.welcome
    assert w.stack.currentWidget() is card and card.stopped.isVisible()
    assert not card.demo_button.isEnabled(), "offered, to be refused again"
    assert card.demo_button.toolTip() == card.stopped.text()


def test_try_again_offers_the_demo_again_and_a_stopped_build_keeps_it(qtbot):
    card = WelcomeView()
    qtbot.addWidget(card)
    card.show()
    refusal = refused_note("/ro is not writable; make it writable") + "."
    card.show_progress(Progress(STOPPED_STAGE, message=refusal))
    card.show_problem("cannot make a library in /ro: the folder is not writable")
    assert not card.demo_button.isEnabled() and card.demo_button.toolTip() == refusal
    card.retry_button.click()  # the folder made writable, maybe: the demo may open now
    assert card.demo_button.isEnabled() and card.demo_button.toolTip() != refusal
    card.show_progress(Progress(STOPPED_STAGE, message=stopped_note("killed", None)))
    assert card.demo_button.isEnabled(), "opening again resumes a stopped build"
