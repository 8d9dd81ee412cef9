"""A window started with its output piped to a program that has ended (``main.py | true``):
SIGTERM did nothing, nor did a second one — the line said on the way out raised
BrokenPipeError before the window was closed, and killed the reader thread before it could
end the process."""

from __future__ import annotations

import os

import musicsage.gui.stop_signals as stop_signals


class _GoneTerminal:
    """Standard error whose reader has ended."""

    def write(self, _text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_the_window_closes_with_no_terminal_left_to_say_so(qtbot, monkeypatch):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the program reading it ended
    monkeypatch.setattr(stop_signals, "_stderr_fd", write_end)
    monkeypatch.setattr(stop_signals.sys, "stderr", _GoneTerminal())
    closed = []
    stops = stop_signals.StopSignals(lambda: closed.append(True))
    stops.signum = 15

    try:
        stops._close_once()
    finally:
        os.close(write_end)

    assert closed == [True]
