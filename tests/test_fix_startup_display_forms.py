"""``DISPLAY`` forms libxcb reads that the check before Qt did not: an IPv6 address with its
zone (``fe80::1%eth0:0``, bare or in brackets) and a protocol before the host (``tcp/``,
``inet/``, ``inet6/``, ``unix/``; libxcb takes it up to the last slash). With nothing there,
the check left the first ones to Qt, which printed its multi-line "could not connect to
display … no Qt platform plugin could be initialized" and aborted (SIGABRT, exit 134); and it
tried to look up ``tcp/localhost`` as a host name, so a display there with a server answering
was refused as "nothing answers". Now each is tried where libxcb connects."""

from __future__ import annotations

import os
import socket

import pytest

from musicsage.x11_setup import x_display_problem


def _free_display() -> int:
    """A display number whose port nothing listens on, on ::1 or 127.0.0.1 (skips without an
    IPv6 loopback)."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    for number in range(180, 260):
        taken = os.path.exists(f"/tmp/.X11-unix/X{number}") or _abstract_taken(number)
        for address in ("::1", "127.0.0.1"):
            try:
                socket.create_connection((address, 6000 + number), timeout=0.5).close()
                taken = True
            except OSError:
                pass
        if not taken:
            return number
    pytest.skip("every display port tried is taken")


def _abstract_taken(number: int) -> bool:
    """Whether an X server listens on display ``number``'s abstract unix socket."""
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(f"\0/tmp/.X11-unix/X{number}")
            return True
        except OSError:
            return False


def _problem(display: str, home) -> str | None:
    return x_display_problem(display, {"HOME": str(home)}, timeout=0.5, answer_timeout=0.5,
                             patience=0.2, waiting=lambda _d, _w: None)


@pytest.mark.parametrize("form", ["fe80::1%lo:{n}", "[fe80::1%lo]:{n}", "fe80::1%lo:{n}.0",
                                  "inet6/::1:{n}", "inet6/[::1]:{n}", "tcp/localhost:{n}",
                                  "inet/127.0.0.1:{n}"])
def test_nothing_at_such_a_display_is_one_line(form, tmp_path):
    if "%lo" in form and "lo" not in {name for _i, name in socket.if_nameindex()}:
        pytest.skip("no interface named lo here")
    display = form.format(n=_free_display())
    problem = _problem(display, tmp_path)
    assert problem is not None, "left to Qt, which aborts"
    assert problem.startswith(f"nothing answers at the X display {display}"), problem


@pytest.mark.parametrize("form", ["tcp/localhost:{n}", "inet6/[::1]:{n}", "unix/:{n}", ":{n}"])
def test_a_server_where_libxcb_connects_is_reached(form, tmp_path):
    """(``:N`` with no unix socket: libxcb tries the TCP port on localhost next, as here.)"""
    number = _free_display()
    if form.startswith("unix/"):  # libxcb's abstract socket: no file to make or leave
        silent = socket.socket(socket.AF_UNIX)
        silent.bind(f"\0/tmp/.X11-unix/X{number}")
    else:
        silent = socket.socket(socket.AF_INET6 if "::1" in form else socket.AF_INET)
        silent.bind(("::1" if "::1" in form else "127.0.0.1", 6000 + number))
    silent.listen(1)  # takes the connection, never answers: not "nothing answers"
    try:
        problem = _problem(form.format(n=number), tmp_path)
    finally:
        silent.close()
    assert problem is not None and "took the connection but did not answer" in problem, problem


def test_a_plain_display_number_never_names_a_host_it_did_not_give(tmp_path, monkeypatch):
    """``:N`` with no unix socket is tried over TCP on localhost, as libxcb does; where that
    name cannot be looked up (no ``localhost`` in /etc/hosts, no name server) the line named a
    host the DISPLAY never gave ("the name server does not answer for , the host of …")."""
    number = _free_display()
    real = socket.create_connection

    def no_localhost(address, *args, **kwargs):
        if address[0] == "localhost":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", no_localhost)
    problem = _problem(f":{number}", tmp_path)
    assert problem is not None and problem.startswith(f"nothing answers at the X display "
                                                      f":{number}"), problem
