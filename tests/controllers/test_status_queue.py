"""The status line's hold-back without a window: a warning stays readable before the next line
replaces it, the lines that wait come in turn, and a burst of warnings holds the bar for a few
of them only (each took the reading time: 20 warnings kept the bar busy for 100 s)."""

from __future__ import annotations

import logging

from musicsage.controllers.status_queue import StatusQueue


def shown(queue: StatusQueue, level: str, text: str, now: float, bar: list[str]) -> bool:
    """What the window does with a line: True when it went on the bar (``bar[-1]``)."""
    if queue.hold(level, text, "", now, bar[-1] if bar else ""):
        return False
    line = ("Error: " if level == "error" else "") + text
    queue.showing(level, line, now)
    bar.append(line)
    return True


def drain(queue: StatusQueue, now: float, bar: list[str]) -> float:
    """Wake when the queue says, show what it gives, until nothing is held: the time then."""
    while (wait := queue.wait(now)) is not None:
        now += wait
        held = queue.take(now)
        if held is not None:
            bar.append(held[1])
    return now


def test_an_info_line_waits_for_the_warning_and_an_error_never_does():
    q, bar = StatusQueue(5), []
    assert shown(q, "warning", "3 files could not be read", 0.0, bar)
    assert not shown(q, "info", "computing embeddings", 1.0, bar)
    assert not shown(q, "info", "laying out the map", 2.0, bar)  # the latest one only
    assert q.take(4.9) is None  # a timer waking early shows nothing yet
    assert q.take(5.0) == ("info", "laying out the map", "")
    assert shown(q, "warning", "no audio output", 6.0, bar)
    assert shown(q, "error", "cannot read the library", 6.5, bar)
    assert bar[-1] == "Error: cannot read the library"
    assert shown(q, "info", "done", 11.5, bar)  # the error's reading time is over


def test_warnings_wait_in_turn_and_an_info_line_before_them_is_stale():
    q, bar = StatusQueue(5), []
    shown(q, "warning", "Left out of 'Mixed bag': 2 entries", 0.0, bar)
    assert not shown(q, "info", "Scan: reading tags", 0.5, bar)
    assert not shown(q, "warning", "Cannot play 'Glass Engine'", 1.0, bar)
    assert not shown(q, "warning", "Cannot play 'Glass Engine'", 1.5, bar)  # once in the queue
    assert not shown(q, "info", "Scan finished: nothing changed", 2.0, bar)
    assert q.wait(2.0) == 3.0
    end = drain(q, 2.0, bar)
    assert bar == ["Left out of 'Mixed bag': 2 entries", "Cannot play 'Glass Engine'",
                   "Scan finished: nothing changed"]
    assert end == 10.0  # the second warning had its own 5 s
    assert q.wait(end) is None


def test_the_same_warning_again_or_one_after_the_bar_cleared_goes_up_at_once():
    q, bar = StatusQueue(5), []
    shown(q, "warning", "no audio output", 0.0, bar)
    assert shown(q, "warning", "no audio output", 1.0, bar)  # said again: its time starts again
    assert q.wait(1.0) is None
    bar.append("")  # another line replaced it, or its time on the bar ran out
    assert shown(q, "warning", "Cannot play 'Glass Engine'", 2.0, bar)


def test_a_burst_of_warnings_keeps_the_newest_few_and_logs_the_rest(caplog):
    q, bar = StatusQueue(5, keep_warnings=3), []
    shown(q, "warning", "warning 0", 0.0, bar)
    with caplog.at_level(logging.WARNING, logger="musicsage.controllers.status_queue"):
        for i in range(1, 21):
            assert not shown(q, "warning", f"warning {i}", 0.1, bar)
    end = drain(q, 0.1, bar)
    assert bar == ["warning 0", "warning 18", "warning 19", "warning 20"]
    assert end == 15.0  # the last goes up after 3 × 5 s, not 20 × 5 s
    dropped = [r.getMessage() for r in caplog.records]
    assert len(dropped) == 17 and dropped[0].endswith(": warning 1")
