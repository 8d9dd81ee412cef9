"""Send a signal to a child stuck in a slow start-up, the way the start-up signal tests do
(``test_gui2_early_signal.py``, ``test_opening_signals.py``)."""

from __future__ import annotations

import signal
import subprocess
import time

WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
"""How the one line names each signal."""


def signal_while_starting(child: subprocess.Popen, ready: str, sig: int, *,
                          waited_for: str) -> str:
    """Wait for ``child`` to print ``ready`` (it is now in its slow start-up), send it
    ``sig``, and return its stderr once it ended — which must be at once, not after the slow
    part (``waited_for`` says what it would have waited for). Killed if it does not end."""
    try:
        assert child.stdout.readline().strip() == ready, child.communicate()
        child.send_signal(sig)
        started = time.monotonic()
        _out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert time.monotonic() - started < 15, f"not at once: it waited for {waited_for}"
    return err
