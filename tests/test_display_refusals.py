"""Where a display is there but the window still cannot open, ``python main.py`` says why in
one line (exit 1) instead of Qt's abort (exit 134, many lines, a false hint about
``libxcb-cursor0``): an X server that refuses this program (an expired ``ssh -X`` cookie,
``sudo`` without ``XAUTHORITY``), a stale Wayland socket, a mistyped ``QT_QPA_PLATFORM``.
The servers here are fakes on 127.0.0.1 and in ``tmp_path``; no real X is needed."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

import pytest

from musicsage import display

REPO = Path(__file__).resolve().parent.parent
COOKIE = bytes(range(16))
SUCCESS = b"\x01\x00\x0b\x00\x00\x00\x02\x00" + b"\x00" * 8  # a (short) accepted set-up

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11/Wayland are Linux's")


class FakeX:
    """An X server on 127.0.0.1:6000+N: reads each set-up request, records the cookie sent
    and answers with what ``answer(name, data)`` returns (b"": close without a word)."""

    def __init__(self, answer: Callable[[bytes, bytes], bytes]):
        self.answer, self.cookies = answer, []
        self.sock = socket.socket()
        for number in range(60, 100):
            try:
                self.sock.bind(("127.0.0.1", 6000 + number))
                break
            except OSError:
                continue
        else:
            pytest.skip("no free X display number on 127.0.0.1")
        self.display = f"127.0.0.1:{number}"
        self.sock.listen(5)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                head = conn.recv(12, socket.MSG_WAITALL)
                if len(head) < 12:
                    continue
                n, d = struct.unpack_from("<HH", head, 6)
                size = (n + 3) // 4 * 4 + (d + 3) // 4 * 4
                body = conn.recv(size, socket.MSG_WAITALL) if size else b""
                name, data = body[:n], body[(n + 3) // 4 * 4:][:d]
                self.cookies.append((name, data))
                reply = self.answer(name, data)
                if reply:
                    conn.sendall(reply)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def fake_x():
    servers = []

    def start(answer: Callable[[bytes, bytes], bytes]) -> FakeX:
        servers.append(FakeX(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def failed(reason: bytes) -> bytes:
    padded = reason + b"\0" * (-len(reason) % 4)
    return struct.pack("<BBHHH", 0, len(reason), 11, 0, len(padded) // 4) + padded


def xauthority(path: Path, family: int, number: str, address: bytes, data: bytes) -> Path:
    def field(b: bytes) -> bytes:
        return struct.pack(">H", len(b)) + b

    decoy = struct.pack(">H", 256) + field(address) + field(b"7") + field(
        b"MIT-MAGIC-COOKIE-1") + field(b"\xff" * 16)  # another display's cookie
    path.write_bytes(decoy + struct.pack(">H", family) + field(address) + field(number.encode())
                     + field(b"MIT-MAGIC-COOKIE-1") + field(data))
    return path


def needs_xcb_libraries() -> None:
    if display.missing_xcb_libraries():
        pytest.skip("this machine lacks libraries of Qt's xcb plugin (that line comes first)")


def run_main(tmp_path: Path, **env_changes: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY")}
    env.update(PYTHONPATH=str(REPO), HOME=str(tmp_path), **env_changes)
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir",
                           str(tmp_path / "lib")], capture_output=True, text=True, cwd=REPO,
                          env=env, timeout=120)


def one_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(said) == 1, proc.stderr[-2000:]  # no qt.qpa lines, no abort
    assert said[0].startswith("musicsage: cannot open the window: "), said[0]
    assert "python -m musicsage --help" in said[0]
    return said[0]


def test_x_server_that_hangs_up_on_this_program_gets_one_line(tmp_path, fake_x):
    needs_xcb_libraries()
    server = fake_x(lambda name, data: b"")  # as ssh -X does with an expired cookie
    said = one_line(run_main(tmp_path, DISPLAY=server.display))
    assert f"the X display {server.display} closed the connection" in said
    assert "XAUTHORITY" in said and "ssh -X" in said and "xcb-cursor" not in said


@pytest.mark.parametrize("family", [256, 65535], ids=["this-host", "wildcard"])
def test_the_cookie_libxcb_would_send_opens_and_a_refusal_is_quoted(tmp_path, fake_x, family):
    needs_xcb_libraries()
    server = fake_x(lambda name, data: SUCCESS if data == COOKIE
                    else failed(b"Invalid MIT-MAGIC-COOKIE-1 key"))
    number = server.display.rsplit(":", 1)[1]
    cookies = xauthority(tmp_path / "xauth", family, number, socket.gethostname().encode(),
                         COOKIE)
    env = {"DISPLAY": server.display, "HOME": str(tmp_path)}
    assert display.display_problem({**env, "XAUTHORITY": str(cookies)}) is None
    assert server.cookies[-1] == (b"MIT-MAGIC-COOKIE-1", COOKIE)

    said = display.display_problem({**env, "XAUTHORITY": str(tmp_path / "none")})
    assert server.cookies[-1] == (b"", b"")  # no cookie file: none sent, as libxcb does
    assert f"the X server at {server.display} refused this program " \
           "(Invalid MIT-MAGIC-COOKIE-1 key)" in said, said
    assert f"{tmp_path / 'none'} has no cookie for it" in said and "sudo -E" in said


def test_a_server_asking_for_more_authentication_is_refused_too(tmp_path, fake_x):
    reason = b"needs a ticket\0\0"
    server = fake_x(lambda name, data: struct.pack("<B5xH", 2, len(reason) // 4) + reason)
    said = display.x_display_problem(server.display, {"HOME": str(tmp_path)})
    assert "refused this program (needs a ticket)" in said, said


def test_a_server_that_takes_the_connection_but_never_answers_gets_one_line(tmp_path, fake_x):
    """A hung X server or a stalled ``ssh -X``: libxcb waits for the set-up's answer without
    end, and the window neither came nor could be stopped (Ctrl-C and SIGTERM wait for the
    main thread, blocked in libxcb): the start-up hung until killed with SIGKILL."""
    needs_xcb_libraries()
    hold = threading.Event()
    server = fake_x(lambda name, data: hold.wait(300) and b"")
    try:
        said = one_line(run_main(tmp_path, DISPLAY=server.display))
    finally:
        hold.set()
    assert (f"the X display {server.display} took the connection but did not answer in 5 s "
            "(is the X server hung, or the ssh connection forwarding X stalled?)") in said


def test_an_answer_that_is_not_an_x_servers_gets_one_line(tmp_path, fake_x):
    """Something else listening at port 6000 + N (DISPLAY set to the wrong number): libxcb
    took its answer for a success, and Qt aborted (exit 134, many lines)."""
    needs_xcb_libraries()
    server = fake_x(lambda name, data: b"HTTP/1.1 400 Bad Request\r\n\r\n")
    said = one_line(run_main(tmp_path, DISPLAY=server.display))
    assert f"what answers at the X display {server.display} is no X server" in said
    assert "is DISPLAY set to the right display?" in said


def test_a_short_answer_of_an_x_server_is_left_to_qt(tmp_path, fake_x):
    """When unsure (an X server's answer cut short), Qt is let try: a false refusal would keep
    a working window shut."""
    server = fake_x(lambda name, data: b"\x01\x00\x0b")
    assert display.x_display_problem(server.display, {"HOME": str(tmp_path)},
                                     timeout=0.5) is None


def test_a_stale_wayland_socket_is_no_compositor(tmp_path):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "wayland-1"))
    stale.close()  # the file stays, nothing listens: a compositor that died
    env = {"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert "no Wayland compositor at wayland-1" in display.display_problem(env)
    with socket.socket(socket.AF_UNIX) as live:
        live.bind(str(tmp_path / "wayland-2"))
        live.listen(1)
        assert display.display_problem({**env, "WAYLAND_DISPLAY": "wayland-2"}) is None
        assert display.display_problem({**env, "WAYLAND_DISPLAY": "wayland-2",
                                        "QT_QPA_PLATFORM": "wayland-egl"}) is None


def test_a_mistyped_qt_platform_names_the_ones_there_are(tmp_path):
    if display.xcb_plugin() is None:
        pytest.skip("PySide6 ships no platform plugins here")
    said = one_line(run_main(tmp_path, QT_QPA_PLATFORM="bogus"))
    assert "QT_QPA_PLATFORM=bogus names no Qt platform plugin" in said
    assert "offscreen" in said and "xcb" in said and "unset it" in said
    for fine in ("offscreen:fontengine=freetype", "Bogus;offscreen", "MINIMAL"):
        assert display.display_problem({"QT_QPA_PLATFORM": fine}) is None, fine
    assert "QT_QPA_PLATFORM=xbc:nograb" in display.display_problem(
        {"QT_QPA_PLATFORM": "xbc:nograb", "DISPLAY": ":0"})
    assert display.display_problem({"QT_QPA_PLATFORM": "bogus",  # Qt may find it there
                                    "QT_PLUGIN_PATH": str(tmp_path)}) is None
