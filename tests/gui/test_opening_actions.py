"""While "Opening the library…" is shown, the toolbar and the menus that act on the library
(Add music folder, Rescan, Compute embeddings, Retrain, Map, Colour by, …) are off and say
why; they come on once the library is read. They started a scan or a training of a library
not yet read, its tracks unknown to the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from musicsage.gui.opening_page import OPENING_TIP, UNREADABLE_TIP


def _library_controls(w) -> list:
    acts = w.actions_
    return [*acts.need_a_library, *acts.need_a_readable_library]


def test_the_library_controls_wait_for_the_library_to_open(qtbot, make_window, library,
                                                           held_read, monkeypatch):
    w = make_window(library, wait=False)
    qtbot.waitUntil(lambda: w.workers.busy)  # the read has started, and waits
    assert w.stack.currentWidget() is w.opening
    acts = w.actions_
    on = [c.text() if hasattr(c, "text") else c.accessibleName()
          for c in _library_controls(w) if c.isEnabled()]
    assert not on, f"on while the library opens: {on}"
    assert acts.rescan.toolTip() == OPENING_TIP and acts.add_folder.toolTip() == OPENING_TIP
    scans = []
    monkeypatch.setattr(w.app.library, "scan", lambda *a, **k: scans.append(a))
    qtbot.keyClick(w, Qt.Key.Key_F5)  # Rescan's key: off with it
    acts.rescan.trigger()
    assert not scans and w.app.training.task is None

    held_read.set()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
    assert w.stack.currentWidget() is w.main_page
    assert all(c.isEnabled() for c in _library_controls(w))
    assert acts.rescan.toolTip() == "Look for new, changed and removed files"
    assert acts.add_folder.toolTip() == "Scan a folder of music into the library"


def test_an_empty_library_once_open_allows_adding_music(qtbot, make_window, ctx, held_read):
    w = make_window(ctx, wait=False)
    qtbot.waitUntil(lambda: w.workers.busy)
    assert not w.actions_.add_folder.isEnabled()
    held_read.set()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.welcome, timeout=30_000)
    acts = w.actions_
    assert acts.add_folder.isEnabled() and acts.import_playlists.isEnabled()
    assert acts.add_folder.toolTip() != OPENING_TIP
    assert not acts.rescan.isEnabled() and "add a music folder first" in acts.rescan.toolTip()


def test_a_library_that_cannot_be_opened_keeps_them_off_and_says_why(qtbot, make_window, ctx):
    ctx.db_path.parent.mkdir(parents=True, exist_ok=True)
    ctx.db_path.write_bytes(b"not a database" * 100)
    w = make_window(ctx, wait=False)
    qtbot.waitUntil(lambda: w.welcome.problem.isVisible(), timeout=30_000)
    assert not any(c.isEnabled() for c in _library_controls(w))
    assert w.actions_.rescan.toolTip() == UNREADABLE_TIP
    assert w.actions_.add_folder.toolTip() == UNREADABLE_TIP
