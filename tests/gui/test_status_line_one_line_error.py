"""A background job failing with a message of several lines: the window's status line shows
its first line, as words, and the details keep the rest (it read "…model file\\x0a  (see the
log for details)")."""

from __future__ import annotations

from musicsage.failures import failure_line


def _boom() -> None:
    raise RuntimeError("\ncould not open the model file\n  (see the log for details)")


def test_the_line_is_the_first_non_empty_line_and_the_details_keep_the_rest():
    try:
        _boom()
    except RuntimeError as e:
        line, details = failure_line(e, None)
    assert line == "RuntimeError: could not open the model file"
    assert "(see the log for details)" in details


def test_the_status_line_shows_the_first_line_only(qtbot, make_window, ctx):
    errors = []
    w = make_window(ctx)
    w.app.notified.connect(lambda level, text, details: errors.append((level, text, details)))
    w.workers.run("Computing embeddings", _boom)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    level, text, details = errors[-1]
    assert level == "error"
    assert text == "Computing embeddings: RuntimeError: could not open the model file"
    assert "(see the log for details)" in details
    qtbot.waitUntil(lambda: "could not open" in w.statusBar().currentMessage(), timeout=30_000)
    shown = w.statusBar().currentMessage()
    assert "x0a" not in shown and "see the log" not in shown, shown
