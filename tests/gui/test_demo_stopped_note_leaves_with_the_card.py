"""A failed demo build's words on the welcome card ("Cannot open the demo library: …", "The
demo build stopped: …") are about that build: they went only when another build started, so
they stood next to a library that cannot be read, and came back with the card when the user's
library was empty again (its music folder removed). They stay while nothing else changed: a
folder chooser opened by "Add your music folder…" and cancelled erased them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui_support import settle
from music_support import make_music
from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE, refused_note
from musicsage.gui import main_window
from musicsage.gui.welcome import WelcomeView
from musicsage.progress import Progress

SMALL = {"n_tracks": 12, "seconds": 1.0, "audio_model": "spectral", "train_steps": 20,
         "workers": 1}
REFUSED = "/music holds the library itself (/music/demo): give the demo music a folder of its own"


def _tracks(w) -> int:
    snap = w.app.library.snapshot
    return -1 if snap is None else snap.stats.tracks.total


def card_after_a_failed_build(qtbot) -> WelcomeView:
    """A shown welcome card with a refused demo build's words on it."""
    card = WelcomeView()
    qtbot.addWidget(card)
    card.show()
    card.show_progress(Progress(STOPPED_STAGE, message=f"{refused_note(REFUSED)}."))
    assert card.stopped.isVisible()
    return card


def window_with_a_refused_demo(qtbot, make_window, ctx, tmp_path):
    """A window on an empty library whose welcome card says the demo cannot be opened."""
    demo = AppContext.create(tmp_path / "demo")
    # the demo's music asked into the folder holding its library: refused before it starts
    options = {**SMALL, "music_dir": str(tmp_path)}
    w = make_window(ctx, demo_ctx=lambda: demo, demo_options=options)
    card = w.welcome
    qtbot.mouseClick(card.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=120_000)
    settle(qtbot, w)
    assert w.stack.currentWidget() is card
    assert card.stopped.isVisible() and card.stopped.text().startswith(
        "Cannot open the demo library: ")
    return w


def test_the_refused_builds_words_go_when_the_users_music_is_added_and_removed(
        qtbot, make_window, ctx, tmp_path):
    w = window_with_a_refused_demo(qtbot, make_window, ctx, tmp_path)
    card = w.welcome

    music, _playlists, _ = make_music(tmp_path / "mine", n_tracks=2, seed=5)
    w.app.library.scan([str(music)])  # a folder dropped on the window: the user's library
    qtbot.waitUntil(lambda: _tracks(w) == 2, timeout=60_000)
    settle(qtbot, w)
    assert w.stack.currentWidget() is w.main_page and w.app.ctx.data_dir == ctx.data_dir
    ((folder, _count),) = w.app.library.folders()
    w.app.library.forget(folder)  # File ▸ Remove music folder: the library is empty again
    qtbot.waitUntil(lambda: _tracks(w) == 0, timeout=60_000)
    settle(qtbot, w)
    assert w.stack.currentWidget() is card
    assert not card.stopped.isVisible(), f"a forgotten build's words: {card.stopped.text()}"


def test_the_words_stay_after_a_cancelled_folder_chooser_and_go_once_the_library_shows(
        qtbot, make_window, ctx, tmp_path, monkeypatch):
    w = window_with_a_refused_demo(qtbot, make_window, ctx, tmp_path)
    card, said = w.welcome, w.welcome.stopped.text()
    chosen = [""]  # the folder chooser's answer: cancelled
    monkeypatch.setattr(main_window.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: chosen[0])
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, w)
    assert w.stack.currentWidget() is card
    assert card.stopped.isVisible() and card.stopped.text() == said, "nothing changed"

    music, _playlists, _ = make_music(tmp_path / "mine", n_tracks=2, seed=5)
    chosen[0] = str(music)
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _tracks(w) == 2, timeout=60_000)
    settle(qtbot, w)
    assert w.stack.currentWidget() is w.main_page
    assert not card.stopped.isVisibleTo(card), "the library shows: the words went with the card"


def test_the_failed_builds_words_go_when_the_library_cannot_be_read(qtbot):
    card = card_after_a_failed_build(qtbot)
    card.show_problem("the library database is damaged: move it aside, then try again")
    assert card.problem.isVisible() and not card.stopped.isVisible()


def test_a_build_failing_behind_the_library_leaves_no_words_on_the_card(qtbot):
    """The demo's map was shown (the library over the card) before its build failed: the card
    came back with the words when the library was empty again."""
    card = WelcomeView()
    qtbot.addWidget(card)
    card.hide()  # a page the window's stack does not show
    card.show_progress(Progress(STOPPED_STAGE, message=f"{refused_note(REFUSED)}."))
    card.show()
    assert not card.stopped.isVisible()
