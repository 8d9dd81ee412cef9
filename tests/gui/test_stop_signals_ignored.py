"""A signal the window was started ignoring stays ignored (``gui/stop_signals.py``).

A script's ``musicsage &`` (or a shell's background job) starts with Ctrl-C ignored: the
window's handler took SIGINT anyway, and a Ctrl-C meant for the script closed the window.
"""

from __future__ import annotations

import signal


def test_an_ignored_sigint_stays_ignored_and_sigterm_still_closes(qtbot):
    from musicsage.gui.stop_signals import StopSignals

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as the process was started
    closed = []
    stops = StopSignals(lambda: closed.append(True))
    try:
        assert stops.install()
        try:
            assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) == stops._on_signal
            # In order: were Ctrl-C taken, it would be the signal that closed the window.
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGTERM)
            qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
            assert stops.exit_code == 128 + signal.SIGTERM
        finally:
            stops.uninstall()
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # exactly as it was
        assert signal.getsignal(signal.SIGTERM) == before[signal.SIGTERM]
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    assert closed == [True]
