"""Whether the main thread took a second Ctrl-C, so that the process need not end at once, is
counted — signals taken against wake-up bytes read — not guessed from when each was seen.

The watch thread judged "taken" by time: a handler run more than 0.25 s before the thread
read the signal's byte did not count. On a starved CPU the thread reads late, and a command
that had taken both signals (and was cleaning up after its ``KeyboardInterrupt``) was ended by
``os._exit`` without its cleanup. The bytes are handed to the watch here as its reader thread
hands them on, ``os._exit`` recorded instead of run."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from musicsage.commands import stopping


@pytest.fixture
def exits(monkeypatch) -> list[int]:
    codes: list[int] = []
    monkeypatch.setattr(stopping.os, "_exit", codes.append)
    return codes


@pytest.fixture
def said(monkeypatch) -> list[str]:
    lines: list[str] = []
    monkeypatch.setattr(stopping, "_say", lines.append)
    return lines


def _watch() -> tuple[stopping.StopRequests, stopping._StuckWatch]:
    requests = stopping.StopRequests()
    return requests, stopping._StuckWatch(requests, {signal.SIGINT})


def test_two_signals_taken_long_before_their_bytes_are_read_do_not_end_the_process(exits,
                                                                                  said):
    requests, watch = _watch()
    try:
        requests.took(signal.SIGINT)
        requests.took(signal.SIGINT)
        time.sleep(0.6)  # the watch thread starved: it reads both bytes late
        watch._on_byte(signal.SIGINT)
        watch._on_byte(signal.SIGINT)  # returns after STUCK_S
    finally:
        watch.stop()
    assert exits == [] and said == []


def test_two_signals_not_taken_still_end_the_process_in_one_line(exits, said):
    requests, watch = _watch()
    try:
        watch._on_byte(signal.SIGINT)
        watch._on_byte(signal.SIGINT)
    finally:
        watch.stop()
    assert exits == [128 + signal.SIGINT]
    assert said[-1].endswith(": interrupted again: stopped at once; what was saved before "
                             "the stop is kept")


def test_a_deferred_signal_two_bytes_one_taken_does_not_end_the_process(exits, said):
    """``signals_deferred`` held it (one byte), then raised it again (a second byte), and the
    main thread took it as it was raised."""
    requests, watch = _watch()
    try:
        watch._on_byte(signal.SIGINT)
        time.sleep(0.3)  # the in-place write
        requests.took(signal.SIGINT)
        watch._on_byte(signal.SIGINT)
    finally:
        watch.stop()
    assert exits == []


def test_a_first_signal_not_taken_within_a_second_is_said_once_without_ending(exits, said):
    """A command waiting up to 30 s for the library database got no reply at all."""
    requests, watch = _watch()
    try:
        threading.Thread(target=watch._on_byte, args=(signal.SIGINT,)).start()
        time.sleep(stopping.NOTE_S + 0.8)
    finally:
        watch.stop()
    assert exits == []
    assert len(said) == 1 and said[0].endswith(
        ": interrupted: stops when the step under way ends (a wait for the library database "
        "lasts up to 30 s); press Ctrl-C again to stop at once")


def test_a_first_signal_taken_at_once_is_not_said(exits, said):
    requests, watch = _watch()
    try:
        requests.took(signal.SIGINT)
        watch._on_byte(signal.SIGINT)
        time.sleep(stopping.NOTE_S + 0.8)
    finally:
        watch.stop()
    assert exits == [] and said == []
