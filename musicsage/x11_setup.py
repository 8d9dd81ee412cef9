"""Does the X server at ``DISPLAY`` let this program in? The X protocol's connection set-up,
as libxcb makes it, with the cookie it would send (read from ``XAUTHORITY``).

A server that listens but refuses the client (an expired ``ssh -X`` cookie, ``sudo`` without
``XAUTHORITY``) made Qt abort with a false hint about ``libxcb-cursor0``; this module finds
the one line :mod:`musicsage.display` says instead. When unsure (a display form or a cookie
kind it does not know) it says nothing and lets Qt try: a false refusal would keep a working
window shut. A server that takes the connection but does not answer the set-up in
:data:`ANSWER_WAIT_S` (a hung X server, a stalled ``ssh -X``) is said, not left to Qt: libxcb
waits for that answer without end, the window never came and neither Ctrl-C nor SIGTERM
ended the wait (Python's handlers wait for the main thread, blocked in libxcb). Nor is an
answer that is not X's (a web server at port 6000 + N): libxcb took it for a success and Qt
aborted, many lines and exit 134.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import json
import os
import re
import socket
import struct
from pathlib import Path
from typing import Mapping

_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")
X_FAMILY_INTERNET, X_FAMILY_INTERNET6, X_FAMILY_LOCAL, X_FAMILY_WILD = 0, 6, 256, 65535
X_AUTH_NAMES = (b"XDM-AUTHORIZATION-1", b"MIT-MAGIC-COOKIE-1")
"""The cookie kinds libxcb sends, best first (Xau picks the best matching entry)."""
ANSWER_WAIT_S = 5.0
"""How long a server that took the connection has to answer its set-up (an X server answers
at once; over ``ssh -X``, one round trip)."""
X_SETUP_STATUSES = (0, 1, 2)
"""The first byte of every X server's set-up answer: failed, success, authenticate."""


def x_display_problem(display: str, env: Mapping[str, str], timeout: float = 2.0,
                      answer_timeout: float = ANSWER_WAIT_S) -> str | None:
    """Why the X server at ``display`` (``:0``, ``unix:1``, ``host:10.0``) will not take this
    program, in a few words; None when it does, or when unsure (a display form we do not
    understand but libxcb may read, a cookie we cannot make): Qt will say. ``timeout``: to
    connect; ``answer_timeout``: for the set-up's answer, which libxcb awaits for ever."""
    m = _DISPLAY.match(display)  # not stripped: libxcb reads ":0 " as no display at all
    if m is None or libxcb_parses(display) is False:  # ":0\n" matches the pattern
        return malformed_display(display)
    sock = _connect_x(m.group("host"), int(m.group("number")), timeout)
    if sock is None:
        return (f"nothing answers at the X display {display} (is the X server running, or the "
                f"ssh connection forwarding X?)")
    with sock:
        auth = x_auth_for(sock, int(m.group("number")), env)
        if auth is None:
            return None
        try:
            sock.settimeout(answer_timeout)
            sock.sendall(x_setup_request(*auth))
            reply = _recv_setup_reply(sock)
        except TimeoutError:
            return (f"the X display {display} took the connection but did not answer in "
                    f"{answer_timeout:g} s (is the X server hung, or the ssh connection "
                    "forwarding X stalled?)")
        except OSError:
            reply = b""  # reset: refused like a close
    return _x_refusal(display, reply, _xauthority_path(env), bool(auth[0]))


_ANY_DISPLAY = re.compile(r"^\S*:\d+(?:\.\d+)?$")
"""What every form libxcb reads ends in (``host:N.S``, ``protocol/host:N``, ``::1:N``), never
with a space or tab (``export DISPLAY=":0 "``): libxcb does not strip them."""
_SOCKET_PATH = re.compile(r"^(?:unix:)?/\S*$")
"""A socket's path that newer libxcb may take (``/tmp/.X11-unix/X0``) when it connects, which
its ``xcb_parse_display`` is not asked about: left to Qt."""


def malformed_display(display: str) -> str | None:
    """The words for a ``DISPLAY`` libxcb cannot read (``0``, ``localhost``, ``:0x``,
    ``":0 "``): Qt aborted on it (SIGABRT) with a false hint about ``libxcb-cursor0``. libxcb
    itself decides when it loads; else a pattern that errs towards letting Qt try."""
    if _SOCKET_PATH.match(display):
        return None
    parses = libxcb_parses(display)
    if parses or (parses is None and _ANY_DISPLAY.search(display)):
        return None
    shown = json.dumps(display, ensure_ascii=False) if re.search(r"\s", display) else display
    return (f"DISPLAY={shown} is not an X display (set it as :0 or host:10.0, or unset "
            "it in a Wayland session)")  # quoted where a space would not show


def libxcb_parses(display: str) -> bool | None:
    """Whether libxcb, the library Qt's X11 plugin connects with, reads ``display``
    (``xcb_parse_display``); None when libxcb does not load here."""
    lib = _libxcb()
    if lib is None:
        return None
    host, number, screen = ctypes.c_void_p(), ctypes.c_int(), ctypes.c_int()
    ok = lib.xcb_parse_display(display.encode("utf-8", "surrogateescape"), ctypes.byref(host),
                               ctypes.byref(number), ctypes.byref(screen))
    if host.value and _libc() is not None:
        _libc().free(host)  # libxcb's malloc'd copy of the host name
    return bool(ok)


@functools.cache
def _libxcb() -> ctypes.CDLL | None:
    """libxcb with ``xcb_parse_display`` typed, or None (not installed, not Linux)."""
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("xcb") or "libxcb.so.1")
        parse = lib.xcb_parse_display
    except (OSError, AttributeError):
        return None
    parse.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                      ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)]
    parse.restype = ctypes.c_int
    return lib


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library whose ``free`` releases what libxcb allocated."""
    try:
        libc = ctypes.CDLL(None)
        libc.free.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return None
    return libc


def _connect_x(host: str, number: int, timeout: float) -> socket.socket | None:
    """A connection to the X server as libxcb opens it (unix socket for ``:N``), or None."""
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        return (open_socket(socket.AF_UNIX, "\0" + path, timeout)
                or open_socket(socket.AF_UNIX, path, timeout))
    try:
        sock = socket.create_connection((host, 6000 + number), timeout=timeout)
    except (OSError, ValueError):
        return None
    sock.settimeout(timeout)
    return sock


def open_socket(family: int, address, timeout: float) -> socket.socket | None:
    """A stream socket connected to ``address`` within ``timeout`` seconds, or None."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except (OSError, ValueError):
        sock.close()
        return None
    return sock


def x_setup_request(name: bytes = b"", data: bytes = b"") -> bytes:
    """The X11 connection set-up request (little-endian, protocol 11.0) with a cookie."""
    def pad(b: bytes) -> bytes:
        return b + b"\0" * (-len(b) % 4)

    return struct.pack("<cxHHHHxx", b"l", 11, 0, len(name), len(data)) + pad(name) + pad(data)


def _recv_setup_reply(sock: socket.socket) -> bytes:
    """The start of the server's answer: 8 bytes, then the reason of a refusal (b"" if it
    closed the connection without one)."""
    head = _recv(sock, 8)
    if len(head) < 8 or head[0] not in (0, 2):  # a success, or no X server's: nothing to add
        return head
    (words,) = struct.unpack_from("<H", head, 6)
    return head + _recv(sock, min(words * 4, 4096))


def _recv(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _x_refusal(display: str, reply: bytes, xauthority: str, sent: bool) -> str | None:
    """The words for a set-up reply that is not a success (None for one we cannot read);
    ``sent``: whether a cookie from ``xauthority`` went with the request."""
    cookie = (f"the cookie in {xauthority} is not the one it expects" if sent
              else f"{xauthority} has no cookie for it")
    fix = f"{cookie} (after ssh -X: reconnect; after sudo or su: keep XAUTHORITY, e.g. sudo -E)"
    if not reply:
        return (f"the X display {display} closed the connection without letting this program "
                f"in; {fix}")
    if reply[0] not in X_SETUP_STATUSES:
        return (f"what answers at the X display {display} is no X server (its answer is not "
                "X's: is DISPLAY set to the right display?)")
    if len(reply) < 8 or reply[0] not in (0, 2):
        return None
    reason = reply[8:8 + reply[1]] if reply[0] == 0 else reply[8:]
    said = " ".join(reason.decode("latin-1").replace("\0", " ").split()) or "no reason given"
    return f"the X server at {display} refused this program ({said[:120]}); {fix}"


def x_auth_for(sock: socket.socket, number: int,
               env: Mapping[str, str]) -> tuple[bytes, bytes] | None:
    """The cookie (name, data) libxcb would send on this connection: the best entry of the
    Xauthority file for the server's address and display number (``(b"", b"")``: none).
    None for an XDM-AUTHORIZATION-1 cookie, which takes encryption this check does not do."""
    family, address = _x_peer(sock)
    best: tuple[int, bytes, bytes] | None = None
    for e_family, e_address, e_number, name, data in read_xauthority(env):
        if not (e_family == X_FAMILY_WILD or (e_family == family and e_address == address)):
            continue
        if (e_number and e_number != str(number).encode()) or name not in X_AUTH_NAMES:
            continue
        rank = X_AUTH_NAMES.index(name)
        if best is None or rank < best[0]:
            best = (rank, name, data)
    if best is None:
        return b"", b""
    return None if best[1] == X_AUTH_NAMES[0] else (best[1], best[2])


def _x_peer(sock: socket.socket) -> tuple[int, bytes]:
    """The Xauthority family and address libxcb looks up for this server: loopback and unix
    sockets are this host by name, anything else its IP address."""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        ip = socket.inet_pton(sock.family, sock.getpeername()[0])
        if ip[:12] == b"\0" * 10 + b"\xff\xff":
            ip = ip[12:]  # IPv4 mapped into IPv6
        if len(ip) == 4 and ip[0] != 127:
            return X_FAMILY_INTERNET, ip
        if len(ip) == 16 and ip != b"\0" * 15 + b"\1":
            return X_FAMILY_INTERNET6, ip
    return X_FAMILY_LOCAL, socket.gethostname().encode()


def read_xauthority(env: Mapping[str, str]) -> list[tuple[int, bytes, bytes, bytes, bytes]]:
    """The entries (family, address, display number, cookie name, cookie) of the file
    ``XAUTHORITY`` names (else ``~/.Xauthority``); none when it is missing or unreadable."""
    try:
        raw = Path(_xauthority_path(env)).read_bytes()
    except OSError:
        return []
    entries, at = [], 0
    while at + 2 <= len(raw):
        (family,) = struct.unpack_from(">H", raw, at)
        fields, at = [], at + 2
        for _ in range(4):
            if at + 2 > len(raw):
                return entries
            (size,) = struct.unpack_from(">H", raw, at)
            if at + 2 + size > len(raw):
                return entries
            fields.append(raw[at + 2:at + 2 + size])
            at += 2 + size
        entries.append((family, *fields))
    return entries


def _xauthority_path(env: Mapping[str, str]) -> str:
    """The cookie file libXau reads: ``XAUTHORITY``, else ``~/.Xauthority``."""
    home = env.get("HOME") or os.path.expanduser("~")
    return env.get("XAUTHORITY") or os.path.join(home, ".Xauthority")
