"""Positions read as a clock, one way for the player bar and the player's notes ("cannot play
x past 1:05"): both use :func:`musicsage.text.format_time`."""

from __future__ import annotations

from musicsage.text import format_time


def test_positions_read_m_ss_and_h_mm_ss_past_an_hour():
    assert format_time(0) == "0:00"
    assert format_time(65.9) == "1:05"
    assert format_time(3599) == "59:59"
    assert format_time(3600) == "1:00:00"
    assert format_time(3725) == "1:02:05"
    assert format_time(-3) == "0:00"  # a position before the start never reads "-1:57"
