"""A command keeps the signals its process was started with ignored.

``sh -c 'musicsage embed &'`` starts the background run with SIGINT ignored, so that a Ctrl-C
meant for the script leaves it alone; ``nohup``-style launchers ignore others. The commands'
own handlers (the first Ctrl-C or SIGTERM cancels, exit 130/143) must not take such a signal
over, nor leave a handler behind afterwards.
"""

from __future__ import annotations

import signal

import pytest

from musicsage.cli import terminated_as_interrupted
from musicsage.commands.stopping import stop_requests


@pytest.fixture
def ignored():
    """SIGINT and SIGTERM ignored for the test, as a launcher would leave them; restored."""
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in before:
        signal.signal(sig, signal.SIG_IGN)
    yield
    for sig, handler in before.items():
        signal.signal(sig, handler)


def test_stop_requests_leave_ignored_signals_ignored(ignored):
    with stop_requests() as requests:
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
        signal.raise_signal(signal.SIGINT)  # ignored: nothing is cancelled
        assert not requests.cancel.cancelled
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_stop_requests_still_take_signals_that_were_not_ignored():
    with stop_requests() as requests:
        signal.raise_signal(signal.SIGTERM)
        assert requests.cancel.cancelled and requests.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_sigterm_as_interrupt_leaves_an_ignored_sigterm_ignored(ignored):
    with terminated_as_interrupted():
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
        signal.raise_signal(signal.SIGTERM)  # would raise Terminated if taken over
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
