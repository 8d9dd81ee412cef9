"""Make SIGTERM look held by a handler set outside Python (a C library's), as Python reports
it: ``signal.getsignal`` and ``signal.signal`` give None for it until Python sets one."""

from __future__ import annotations

import signal

import pytest


@pytest.fixture
def foreign_sigterm(monkeypatch):
    """SIGTERM reported as None (a C library's handler) until Python sets its own; SIGTERM's
    real handler is put back after the test."""
    real_signal, real_get = signal.signal, signal.getsignal
    before = real_get(signal.SIGTERM)
    foreign = [True]

    def getsignal(sig):
        return None if sig == signal.SIGTERM and foreign else real_get(sig)

    def set_signal(sig, handler):
        was = real_signal(sig, handler)
        if sig == signal.SIGTERM and foreign:
            foreign.clear()
            return None
        return was

    monkeypatch.setattr(signal, "getsignal", getsignal)
    monkeypatch.setattr(signal, "signal", set_signal)
    yield
    real_signal(signal.SIGTERM, before)
