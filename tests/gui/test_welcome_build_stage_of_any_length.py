"""The welcome page's demo build line says the build's stage, which may quote a path or a
loss ("Waiting for /home/someone/Music/…"): one word wider than the card pushed the card
wider than the page, and the progress bar and its Cancel out of sight, right of the window.
A long word is now cut, never widening the card."""

from __future__ import annotations

from musicsage.progress import Progress

LONG_WORD = "/home/someone/Music/" + "LongFolderName" * 12


def test_a_long_word_in_the_build_stage_never_widens_the_page(qtbot):
    from musicsage.gui.welcome import WelcomeView

    page = WelcomeView()
    qtbot.addWidget(page)
    page.resize(560, 600)
    page.show()
    qtbot.waitExposed(page)
    page.show_busy("Building the demo library…")
    page.show_progress(Progress("scan", 1, 10, "Reading"))
    narrowest = page.minimumSizeHint().width()
    page.show_progress(Progress("scan", 3, 10, f"Waiting for {LONG_WORD}"))
    qtbot.wait(100)  # the layout settles
    assert page.minimumSizeHint().width() == narrowest, "the word widened the page"
    cancel = page.cancel_button
    right = cancel.mapTo(page, cancel.rect().topRight()).x()
    assert cancel.isVisible() and right < page.width(), (
        f"Cancel ends at {right} px of a {page.width()}-px page")
