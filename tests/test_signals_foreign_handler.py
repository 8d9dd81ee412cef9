"""A SIGTERM handler set outside Python (``signal.getsignal`` says None) does not break the
commands' signal handling: Python cannot put such a handler back, and
``signal.signal(sig, None)`` raised TypeError as the block ended — in a ``finally``, over the
command's own outcome. The default action (SIG_DFL) comes back in its place."""

from __future__ import annotations

import signal

import pytest

from musicsage import startup
from musicsage.cli import terminated_as_interrupted
from musicsage.commands.stopping import stop_requests
from signals_foreign_support import foreign_sigterm  # noqa: F401 - a fixture


def test_stop_requests_take_a_foreign_sigterm_and_leave_the_default(foreign_sigterm):
    with stop_requests() as requests:
        signal.raise_signal(signal.SIGTERM)  # still taken: it cancels the work
        assert requests.cancel.cancelled and requests.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_sigterm_as_interrupt_with_a_foreign_sigterm(foreign_sigterm):
    with pytest.raises(ValueError, match="the command's own error"):
        with terminated_as_interrupted():
            raise ValueError("the command's own error")  # not hidden by a TypeError
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_startup_restores_the_default_for_a_foreign_sigterm(foreign_sigterm):
    startup.install("stats")
    try:
        assert signal.getsignal(signal.SIGTERM) is startup.stopped_at_start
    finally:
        startup.restore()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert startup.starting_line(signal.SIGTERM).endswith("stopped before the window opened")


def test_a_held_write_leaves_a_foreign_sigterm_alone(foreign_sigterm):
    """:func:`~musicsage.files.signals_deferred` already left such a handler as it was (it
    cannot hold a signal it could not put back); kept so."""
    from musicsage.files import signals_deferred

    with signals_deferred():
        assert signal.getsignal(signal.SIGTERM) is None
    assert signal.getsignal(signal.SIGTERM) is None
