"""The window's stop signals with a SIGTERM handler set outside Python (``getsignal`` says
None): :meth:`StopSignals.uninstall` raised TypeError putting None back, leaving the wake-up
fd and the reader thread behind. SIGTERM's default action comes back in its place."""

from __future__ import annotations

import signal

from signals_foreign_support import foreign_sigterm  # noqa: F401 - a fixture


def test_uninstall_puts_the_default_back_for_a_foreign_sigterm(qtbot, foreign_sigterm):
    from musicsage.gui.stop_signals import StopSignals

    closed = []
    stops = StopSignals(lambda: closed.append(True))
    assert stops.install()
    try:
        signal.raise_signal(signal.SIGTERM)  # still taken: it closes the window
        qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
        assert stops.exit_code == 128 + signal.SIGTERM
    finally:
        stops.uninstall()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert stops._reader is None  # the reader and its sockets are gone too
    assert signal.set_wakeup_fd(-1) == -1  # and the wake-up fd is no longer ours
