"""A Ctrl-C that comes the moment a command's stop handlers are being set still stops it.

``terminated_as_interrupted`` (every command's block: the first signal stops it at once) set
the cancelling handler of ``stop_requests`` first and replaced it a moment later: a Ctrl-C in
between only cancelled a token that command never reads, and the command went on as though
it had not been pressed."""

from __future__ import annotations

import signal

import pytest

from musicsage.cli import terminated_as_interrupted


def test_a_ctrl_c_as_the_handler_is_set_stops_the_command(monkeypatch):
    set_signal = signal.signal
    pressed: list[object] = []

    def setting(sig, handler):
        previous = set_signal(sig, handler)
        if sig == signal.SIGINT and not pressed:
            pressed.append(handler)
            signal.raise_signal(signal.SIGINT)  # the user's Ctrl-C, right then
        return previous

    monkeypatch.setattr(signal, "signal", setting)
    ran = []
    with pytest.raises(KeyboardInterrupt):
        with terminated_as_interrupted():
            ran.append(True)
    monkeypatch.undo()
    assert pressed and not ran  # the command's work never started
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
