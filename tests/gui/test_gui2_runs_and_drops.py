"""What the window refuses while it is busy or not ready.

- Retrain (toolbar, Analyse menu, the neighbours panel's button) stayed on while an
  embedding run went: pressed, it started a training that waited for the embeddings (or raced
  them). It is off meanwhile, as Compute embeddings is, its tooltip saying why, and back on
  once the run ends — cancelled too.
- Music dropped on the window while the library was being opened ("Opening the library…",
  every action off) started a scan of a library the window had not read; dropped on a
  library that cannot be opened, it started a scan that could only fail. Both are refused in
  one line, and nothing is scanned.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from gui_support import settle


def test_retrain_is_off_while_an_embedding_run_goes(qtbot, make_window, library, slow_runs):
    w = make_window(library)
    retrain, button = w.actions_.retrain, w.neighbours.retrain_button
    own_tip = retrain.toolTip()
    assert retrain.isEnabled() and button.isEnabled()
    w.app.library.embed(None)
    assert w.app.library.embedding
    assert not retrain.isEnabled(), "Retrain on while the embeddings are computed"
    assert not button.isEnabled(), "the neighbours panel's Retrain too"
    assert "embedding run is going" in retrain.toolTip()
    assert "embedding run is going" in button.toolTip()
    started = []
    w.neighbours.retrain_requested.connect(lambda: started.append(True))
    qtbot.keyClick(w, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # its shortcut
    retrain.trigger()
    assert w.app.training.task is None, "a training started beside the embedding run"

    w.app.tasks.cancel()
    qtbot.waitUntil(lambda: not w.app.library.embedding, timeout=30_000)
    settle(qtbot, w)
    assert retrain.isEnabled() and button.isEnabled()
    assert retrain.toolTip() == own_tip
    assert "run is going" not in button.toolTip()


def test_retrain_off_while_training_says_why(qtbot, make_window, library, slow_runs):
    w = make_window(library)
    retrain, button = w.actions_.retrain, w.neighbours.retrain_button
    w.app.training.start()
    assert not retrain.isEnabled() and not button.isEnabled()
    assert "run is going" in retrain.toolTip() and "run is going" in button.toolTip()
    with qtbot.waitSignal(w.training_finished, timeout=30_000):
        w.app.training.cancel()
    settle(qtbot, w)
    assert retrain.isEnabled() and button.isEnabled()
    assert "run is going" not in retrain.toolTip()


def _drop(w, paths) -> QDropEvent:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    w.dropEvent(event)
    return event


def test_a_drop_while_the_library_opens_is_refused_in_one_line(qtbot, make_window, library,
                                                               held_read, tmp_path,
                                                               monkeypatch):
    music = tmp_path / "more music"
    music.mkdir()
    w = make_window(library, wait=False)
    qtbot.waitUntil(lambda: w.workers.busy)  # the read has started, and waits
    assert w.stack.currentWidget() is w.opening
    scans = []
    monkeypatch.setattr(w.app.library, "scan", lambda *a, **k: scans.append(a))
    event = _drop(w, [music])
    assert not scans, "a scan started on a library the window had not read"
    assert not event.isAccepted()
    level, text = w.app.notifications[-1]
    assert level == "warning" and "being opened" in text and "\n" not in text

    held_read.set()
    settle(qtbot, w)
    _drop(w, [music])  # once open, a drop scans as before
    assert scans


def test_a_drop_on_a_library_that_cannot_be_opened_is_refused(qtbot, make_window, ctx,
                                                              tmp_path, monkeypatch):
    ctx.db_path.parent.mkdir(parents=True, exist_ok=True)
    ctx.db_path.write_bytes(b"not a database" * 100)
    music = tmp_path / "more music"
    music.mkdir()
    w = make_window(ctx, wait=False)
    qtbot.waitUntil(lambda: w.welcome.problem.isVisible(), timeout=30_000)
    scans = []
    monkeypatch.setattr(w.app.library, "scan", lambda *a, **k: scans.append(a))
    event = _drop(w, [music])
    assert not scans and not event.isAccepted()
    level, text = w.app.notifications[-1]
    assert level == "warning" and "cannot be opened" in text and "\n" not in text
    assert ctx.db_path.read_bytes() == b"not a database" * 100
