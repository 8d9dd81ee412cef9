"""An X display on an IPv6 host, in the forms libxcb reads (``::1:N``, ``[::1]:N``; the host
runs to the last colon). The check before Qt is imported took any host with a colon for a
form it does not know and left it to Qt, which, with nothing answering there, printed its
multi-line "could not connect to display … no Qt platform plugin could be initialized" and
aborted (SIGABRT, a core dump). Now the display is tried as libxcb tries it, and one line
says that nothing answers; a server that is there is reached (not refused as absent)."""

from __future__ import annotations

import socket

import pytest

from musicsage.x11_setup import x_display_problem


def _free_ipv6_display() -> int:
    """A display number whose port on ::1 nothing listens on (skips without IPv6 here)."""
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    for number in range(180, 260):
        try:
            socket.create_connection(("::1", 6000 + number), timeout=0.5).close()
        except OSError:
            probe.close()
            return number
    pytest.skip("every display port tried is taken")


@pytest.mark.parametrize("form", ["::1:{n}", "[::1]:{n}", "::1:{n}.0", "[::1]:{n}.0"])
def test_nothing_at_an_ipv6_display_is_one_line(form, tmp_path):
    display = form.format(n=_free_ipv6_display())
    problem = x_display_problem(display, {"HOME": str(tmp_path)})  # not the user's cookies
    assert problem is not None, "left to Qt, which aborts"
    assert problem.startswith(f"nothing answers at the X display {display}"), problem


def test_a_server_at_an_ipv6_display_in_brackets_is_reached(tmp_path):
    number = _free_ipv6_display()
    silent = socket.socket(socket.AF_INET6)
    silent.bind(("::1", 6000 + number))
    silent.listen(1)  # takes the connection, never answers: not "nothing answers"
    try:
        problem = x_display_problem(f"[::1]:{number}", {"HOME": str(tmp_path)},
                                    answer_timeout=0.5, patience=0.2, waiting=lambda _d, _w: None)
    finally:
        silent.close()
    assert problem is not None and "took the connection but did not answer" in problem, problem
