"""The tooltip's check of which missing tracks' files are gone runs at every snapshot load
(each reload of the folder watch); one superseded by the next still looked at its files (a
look at a file cannot be interrupted), so on a slow drive two of them held both threads of
the light lane and the next snapshot load waited behind them. One check at a time now, run
again once at its end for the snapshots loaded meanwhile (pytest-qt, offscreen)."""

from __future__ import annotations

import threading

import pytest

from test_gui_remove_missing_off_thread import (remove_missing_action,
                                                unplug_one_folder_and_delete_one_file)

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_snapshot_loads_during_a_slow_check_start_no_second_one(
        qtbot, make_window, library, tmp_path, monkeypatch):
    import musicsage.library.forget as forget

    unplug_one_folder_and_delete_one_file(library, tmp_path)
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(lambda: "checking" not in act.toolTip(), timeout=30_000)
    real, gate, entered = forget.missing_to_remove, threading.Event(), []

    def slow(conn, **kw):  # a slow drive: each look at the files waits for the gate
        entered.append(1)
        gate.wait(60)
        return real(conn, **kw)

    monkeypatch.setattr(forget, "missing_to_remove", slow)
    loads = []
    w.app.library.loaded.connect(loads.append)
    try:
        for n in (1, 2, 3):  # the folder watch's reloads
            w.app.library.reload()
            qtbot.waitUntil(lambda n=n: len(loads) == n, timeout=30_000)
        assert len(entered) == 1, "no second check while one runs"
        assert "checking" in act.toolTip()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: "checking" not in act.toolTip(), timeout=30_000)
    assert len(entered) == 2, "run once again for the snapshots loaded meanwhile"
    assert act.toolTip().endswith("(1 missing track; 4 missing tracks kept: they are in a "
                                  "music folder that is gone or empty, or behind a link to one "
                                  "(a drive not mounted?))"), \
        act.toolTip()
