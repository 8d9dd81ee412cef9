"""The window opening on an empty library (the welcome page) had no keyboard focus until the
first Tab: Enter or Space did nothing. Its first action has it from the start — "Add your
music folder…", or "Try again" on the page of a library that cannot be read."""

from __future__ import annotations

from PySide6.QtCore import Qt

GARBAGE = b"this is not a database, it only has its name" * 50


def test_the_welcome_page_starts_on_its_first_action(qtbot, make_window, ctx, monkeypatch):
    from musicsage.gui import main_window

    asked = []
    monkeypatch.setattr(main_window.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: asked.append(a) or "")  # the folder chooser, answered
    w = make_window(ctx)
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
    assert w.stack.currentWidget() is w.welcome
    qtbot.waitUntil(lambda: w.focusWidget() is w.welcome.add_button)
    w.grab().save(str(ctx.data_dir / "welcome.png"))
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Space)  # the key works at once
    assert len(asked) == 1


def test_a_library_that_cannot_be_read_starts_on_try_again(qtbot, make_window, ctx):
    ctx.db_path.parent.mkdir(parents=True, exist_ok=True)
    ctx.db_path.write_bytes(GARBAGE)
    w = make_window(ctx, wait=False)
    qtbot.waitUntil(lambda: w.welcome.problem.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: w.focusWidget() is w.welcome.retry_button)
