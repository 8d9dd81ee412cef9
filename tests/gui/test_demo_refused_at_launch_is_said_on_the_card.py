"""``main.py --demo`` refused at launch ("Cannot open the demo library: …") is said on the
welcome card once the window has read the library, as a refusal of the button is: it came
while the window still showed its opening page over the card, so the card kept it hidden for
good (only the status line said it, until the next line replaced it), and a library that could
not be read then said only its own problem. Words revealed so for a card the library went over
(it had music) do not come back with the card later."""

from __future__ import annotations

from gui_support import settle
from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE, refused_note
from musicsage.gui.welcome import WelcomeView
from musicsage.progress import Progress

SMALL = {"n_tracks": 12, "seconds": 1.0, "audio_model": "spectral", "train_steps": 20,
         "workers": 1}
REFUSED = refused_note("/music is not writable; make it writable") + "."


def test_a_demo_refused_at_launch_is_on_the_card_of_the_empty_library(
        qtbot, make_window, tmp_path):
    ctx = AppContext.create(tmp_path / "library")
    # --data-dir D --demo with its music asked into the folder holding D: refused at once
    options = {**SMALL, "music_dir": str(tmp_path)}
    w = make_window(ctx, wait=False, demo_ctx=lambda: ctx, demo_options=options)
    assert w.stack.currentWidget() is w.opening, "the library is still being read"
    w.app.demo.open()  # main.py --demo's first event
    settle(qtbot, w)
    card = w.welcome
    assert w.stack.currentWidget() is card
    assert card.stopped.isVisible(), "the refusal was only on the status line"
    assert card.stopped.text().startswith("Cannot open the demo library: "), card.stopped.text()


def _card_behind_the_opening_page(qtbot) -> WelcomeView:
    card = WelcomeView()
    qtbot.addWidget(card)
    card.hide()  # the window's stack shows its opening page
    card.show_progress(Progress(STOPPED_STAGE, message=REFUSED))
    return card


def test_a_refusal_before_the_library_could_not_be_read_stays_next_to_its_problem(qtbot):
    card = _card_behind_the_opening_page(qtbot)
    card.show_problem("cannot make a library in /ro: the folder is not writable")
    card.show()
    assert card.problem.isVisible() and card.stopped.isVisible()
    assert card.stopped.text() == REFUSED


def test_the_refusal_revealed_for_a_library_with_music_does_not_come_back(qtbot):
    card = _card_behind_the_opening_page(qtbot)
    card.clear_problem()  # read: it has music, the library goes over the card
    card.clear_problem()  # read again later: its music removed, the card comes back
    card.show()
    assert not card.stopped.isVisible(), card.stopped.text()
