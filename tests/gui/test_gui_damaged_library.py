"""A library whose database cannot be read at all opens a window that says so — not the
first-launch page inviting music into it — leaves the file as it was, and reads the library
once the file is moved aside and the user presses Try again."""

from __future__ import annotations

from musicsage.gui.welcome import WelcomeView

GARBAGE = b"this is not a database, it only has its name" * 50


def test_a_damaged_library_database_is_named_and_left_alone(qtbot, make_window, ctx):
    ctx.db_path.parent.mkdir(parents=True, exist_ok=True)
    ctx.db_path.write_bytes(GARBAGE)
    w = make_window(ctx, wait=False)  # it never loads a library
    welcome = w.welcome
    qtbot.waitUntil(lambda: welcome.problem.isVisible(), timeout=30_000)
    assert w.stack.currentWidget() is welcome
    assert welcome.title.text() == WelcomeView.UNREADABLE
    text = welcome.problem.text()
    assert str(ctx.db_path) in text and "damaged" in text and "move it aside" in text
    assert welcome.retry_button.isVisible() and welcome.demo_button.isVisible()
    assert not welcome.add_button.isVisible()  # adding music would fail the same way
    assert not w.actions_.add_folder.isEnabled() and not w.actions_.rescan.isEnabled()
    assert ctx.db_path.read_bytes() == GARBAGE

    welcome.retry_button.click()  # still damaged: still said
    qtbot.wait(500)
    assert welcome.problem.isVisible() and ctx.db_path.read_bytes() == GARBAGE

    aside = ctx.db_path.with_name("library.damaged.sqlite3")
    ctx.db_path.rename(aside)  # what the message says to do
    welcome.retry_button.click()
    qtbot.waitUntil(lambda: not welcome.problem.isVisible(), timeout=30_000)
    assert welcome.title.text() == WelcomeView.WELCOME and welcome.add_button.isVisible()
    assert w.actions_.add_folder.isEnabled() and w.app.library.snapshot.empty
    assert aside.read_bytes() == GARBAGE
