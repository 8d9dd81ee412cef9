"""Does the X server at ``DISPLAY`` let this program in? The X protocol's connection set-up,
as libxcb makes it, with the cookie it would send (read from ``XAUTHORITY``).

A server that listens but refuses the client (an expired ``ssh -X`` cookie, ``sudo`` without
``XAUTHORITY``) made Qt abort with a false hint about ``libxcb-cursor0``; this module finds
the one line :mod:`musicsage.display` says instead. When unsure (a display form or a cookie
kind it does not know) it says nothing and lets Qt try: a false refusal would keep a working
window shut. The set-up's answer is awaited here, not left to Qt: libxcb waits for it
without end, and neither Ctrl-C nor SIGTERM ended that wait (Python's handlers wait for the
main thread, blocked in libxcb), so a hung X server or a stalled ``ssh -X`` hung the start-up
for good. Here the handlers run: after :data:`ANSWER_WAIT_S` one line says the answer is still
awaited and that Ctrl-C stops; an answer that comes (a slow link, a busy server) hands over to
Qt; only after :data:`ANSWER_LIMIT_S` without one is the start-up refused. Nor is an answer
that is not X's left to Qt (a web server at port 6000 + N): libxcb took it for a success and
Qt aborted, many lines and exit 134.
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
import sys
import time
from pathlib import Path
from typing import Callable, Mapping

_DISPLAY = re.compile(r"^(?:(?P<protocol>.*)/)?(?P<host>[^:/]*|\[[0-9A-Fa-f:.]+(?:%[\w.-]+)?\]"
                      r"|[0-9A-Fa-f:.]*:[0-9A-Fa-f.]+(?:%[\w.-]+)?):(?P<number>\d+)(?:\.\d+)?$")
"""``protocol/host:N.S``; an IPv6 host as libxcb reads it (``::1:0``, ``[::1]:0``: up to the
last colon; a zone, ``fe80::1%eth0:0``), after the protocol libxcb takes up to the last slash
(``tcp/``, ``inet6/``) — left to Qt, a display there that nothing answers made it abort."""
X_FAMILY_INTERNET, X_FAMILY_INTERNET6, X_FAMILY_LOCAL, X_FAMILY_WILD = 0, 6, 256, 65535
X_AUTH_NAMES = (b"XDM-AUTHORIZATION-1", b"MIT-MAGIC-COOKIE-1")
"""The cookie kinds libxcb sends, best first (Xau picks the best matching entry)."""
ANSWER_WAIT_S = 5.0
"""How long a server that took the connection answers its set-up before a line says it is
still awaited (an X server answers at once; over ``ssh -X``, one round trip). Once an answer
has begun, its rest comes within this too: an X server writes it whole."""
ANSWER_LIMIT_S = 60.0
"""The whole wait for the set-up's answer, after which the start-up is refused in one line:
generous for a slow link, but a hung server must not hold the start-up for ever."""
X_SETUP_FAILED, X_SETUP_SUCCESS, X_SETUP_AUTHENTICATE = 0, 1, 2
X_SETUP_STATUSES = (X_SETUP_FAILED, X_SETUP_SUCCESS, X_SETUP_AUTHENTICATE)
"""The first byte of every X server's set-up answer: failed, success, authenticate."""
X_SETUP_REFUSALS = (X_SETUP_FAILED, X_SETUP_AUTHENTICATE)
"""The answers a reason follows (its length in the head's last two bytes)."""
X_PROTOCOL_MAJOR = 11
"""The protocol version a failed or successful answer names (after its status and a byte)."""
_MAJOR_LE = struct.pack("<H", X_PROTOCOL_MAJOR)
"""That version as a little-endian server answers it (the request asks for ``l``)."""


def say_still_waiting(display: str, waited: float) -> None:
    """The line said while the set-up's answer is awaited past ``waited`` seconds: the window
    is not coming yet, and the wait, unlike libxcb's, can be stopped."""
    try:
        print(f"musicsage: the X display {display} has not answered in {waited:g} s; still "
              "waiting (Ctrl-C stops)", file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass  # no stderr to say it on: the wait goes on all the same


def x_display_problem(display: str, env: Mapping[str, str], timeout: float = 2.0,
                      answer_timeout: float = ANSWER_LIMIT_S, patience: float = ANSWER_WAIT_S,
                      waiting: Callable[[str, float], None] = say_still_waiting) -> str | None:
    """Why the X server at ``display`` (``:0``, ``unix:1``, ``host:10.0``) will not take this
    program, in a few words; None when it does, or when unsure (a display form we do not
    understand but libxcb may read, a cookie we cannot make): Qt will say. ``timeout``: to
    connect; ``answer_timeout``: the whole wait for the set-up's answer, which libxcb awaits
    for ever; ``waiting(display, patience)`` is called once when none has come in
    ``patience`` seconds."""
    if _SOCKET_PATH.match(display):  # a socket's path: libxcb 1.16+ connects to it alone
        return socket_path_problem(display, timeout)
    m = _DISPLAY.match(display)  # not stripped: libxcb reads ":0 " as no display at all
    if m is None or libxcb_parses(display) is False:  # ":0\n" matches the pattern
        return malformed_display(display)
    sock = _connect_x(m.group("host"), int(m.group("number")), timeout, m.group("protocol"))
    if isinstance(sock, socket.gaierror) and sock.errno == socket.EAI_AGAIN:  # not "a typo"
        return (f"the name server does not answer for {m.group('host')}, the host of the X "
                f"display {display} (no network?); try again once it does")
    if isinstance(sock, socket.gaierror):  # the advice its own clause, as the CLI's hint is
        return (f"the X display {display} names a host that cannot be found (a typo, or no "
                "network?); correct DISPLAY")
    if sock is None:
        return _nothing_answers(display)
    with sock:
        auth = x_auth_for(sock, int(m.group("number")), env)
        if auth is None:
            return None
        answer = SetupAnswer(sock, patience, answer_timeout, lambda: waiting(display, patience))
        try:
            sock.sendall(x_setup_request(*auth))
            reply = _recv_setup_reply(answer)
        except StalledAnswer as stalled:
            if stalled.got:  # begun, never finished: no X server's way
                return _not_x(display)
            return (f"the X display {display} took the connection but did not answer in "
                    f"{answer_timeout:g} s (is the X server hung, or the ssh connection "
                    "forwarding X stalled?)")
        except OSError:
            reply = b""  # reset: refused like a close
    return _x_refusal(display, reply, _xauthority_path(env), bool(auth[0]))


def _nothing_answers(display: str) -> str:
    """The words for an X display where no server takes the connection."""
    return (f"nothing answers at the X display {display} (is the X server running, or the ssh "
            "connection forwarding X?)")


def socket_path_problem(display: str, timeout: float = 2.0) -> str | None:
    """Why the X server at a ``DISPLAY`` that is a socket's path (``/tmp/.X11-unix/X0``, or
    ``unix:`` and the path, as some launchers set it) will not take this program; None when a
    server answers there and the libxcb here reads the form. libxcb 1.16 and later read such a
    form as that socket, a ``.1``, ``.2``… after it a screen when the path itself is not there
    (``.0`` it does not read); left to Qt, a path where nothing listens made it abort with a
    core dump, for a window and ``--screenshot`` alike. An older libxcb reads no path at all:
    Qt aborted even on a server that answers there. The refusal goes by what libxcb parses,
    never a version guessed from it."""
    prefix = "unix:" if display.startswith("unix:") else ""
    path = display[len(prefix):]
    screen = re.fullmatch(r"(.+)\.\d+", path)
    if screen and not os.path.exists(path):
        path = screen.group(1)  # the socket; whether libxcb reads this screen is asked below
    sock = open_socket(socket.AF_UNIX, path, timeout)
    if sock is None:
        return _nothing_answers(display)
    sock.close()
    if libxcb_parses(display) is not False:
        return None
    return (f"DISPLAY={display} is a socket's path, which the libxcb here does not read; set "
            f"DISPLAY to {_readable_form(prefix + path, display)}")


def _readable_form(bare: str, display: str) -> str:
    """The ``DISPLAY`` to set for a socket's path the libxcb here does not read: ``bare``,
    the path less its screen, where libxcb reads that (1.16+ refuses ``X0.0``, reads ``X0``);
    else the ``:N`` of a socket in /tmp/.X11-unix, its screen kept (an older libxcb)."""
    if bare != display and libxcb_parses(bare):
        return bare
    number = re.fullmatch(r"(?:unix:)?/tmp/\.X11-unix/X(\d+)", bare)
    if number:
        return f":{number.group(1)}{display[len(bare):]}"
    return ":N for an X server whose socket is /tmp/.X11-unix/XN (a socket elsewhere has no :N)"


_ANY_DISPLAY = re.compile(r"^\S*:\d+(?:\.\d+)?$")
"""What every form libxcb reads ends in (``host:N.S``, ``protocol/host:N``, ``::1:N``), never
with a space or tab (``export DISPLAY=":0 "``): libxcb does not strip them."""
_SOCKET_PATH = re.compile(r"^(?:unix:)?/[^\s\"';]*[^\s\"';/]\Z")
"""A socket's path that newer libxcb takes (``/tmp/.X11-unix/X0``): no malformed display, but
one :func:`socket_path_problem` judges. No space, quote or ``;`` in it, no ``/`` at its end,
and nothing after it (``\\Z``, not ``$``): a path with a stray space, newline, quote or ``;``
(a launcher's quoting gone wrong) is no display libxcb reads, whatever listens at the path —
it was told "nothing answers" with a server running there."""


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
    # the advice a clause of its own: "… is not an X display (set it as :0 …, or unset it
    # …), or use the command line" offered the command line as the other side of a fact
    return (f"DISPLAY={shown} is not an X display (one reads :0, or host:10.0 for another "
            "machine); correct it or unset it in a Wayland session")  # quoted: a space shows


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


def _connect_x(host: str, number: int, timeout: float,
               protocol: str | None = None) -> socket.socket | socket.gaierror | None:
    """A connection to the X server as libxcb opens it (unix socket for ``:N``), or None; the
    lookup's error where ``host`` has no address (``nohost.invalid:0``, a typo): "nothing
    answers … is the X server running?" sent the user to a server that is not the trouble.
    (Its one lookup: a second, to tell that case apart, waited for a slow resolver again.)
    ``protocol`` as libxcb takes it: ``unix`` the socket, ``tcp``/``inet``/``inet6`` a host
    (``tcp/localhost:0`` was refused as "nothing answers", a server there or not)."""
    if protocol == "unix":
        host = "unix"  # ``unix/anyhost:0``: the unix socket
    elif protocol is not None and (protocol not in ("tcp", "inet", "inet6")
                                   or host in ("", "unix")):
        return None  # ``tcp/:0``, ``decnet/host:0``: libxcb opens no connection for them
    named = host  # "" for ``:N``, whose TCP fallback's lookup is no host the user named
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        sock = (open_socket(socket.AF_UNIX, "\0" + path, timeout)
                or open_socket(socket.AF_UNIX, path, timeout))
        if sock is not None or host:
            return sock
        host = "localhost"  # ``:N`` with no socket: libxcb tries this TCP port too (a server
        # there alone was refused as "nothing answers", a window Qt would open kept shut)
    if host.startswith("["):  # [::1]: libxcb connects to the address in the brackets
        host = host[1:-1]
    try:
        sock = socket.create_connection((host, 6000 + number), timeout=timeout)
    except socket.gaierror as exc:  # (``:N``'s own "localhost" unknown: nothing answers)
        return exc if named else None
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


class StalledAnswer(Exception):
    """The set-up's answer stopped coming before it was whole; ``got``: what came (b"": no
    answer at all)."""

    def __init__(self, got: bytes) -> None:
        super().__init__(f"{len(got)} bytes of the set-up's answer came")
        self.got = got


class SetupAnswer:
    """The server's set-up answer, read against one deadline for the whole of it (a server
    trickling a byte every few seconds held the start-up past any limit set per read), in
    short waits: the signal handlers run between them (Ctrl-C), and the first one ending
    without an answer calls ``waiting`` once."""

    def __init__(self, sock: socket.socket, patience: float, limit: float,
                 waiting: Callable[[], None]) -> None:
        started = time.monotonic()
        self.sock, self.patience, self.waiting = sock, patience, waiting
        self.notice_at, self.deadline = started + patience, started + limit
        self.got, self.noticed = b"", False

    def read(self, size: int) -> bytes:
        """``size`` more bytes, fewer when the server closed the connection; raises
        :class:`StalledAnswer` at the deadline."""
        data = b""
        while len(data) < size:
            chunk = self._chunk(size - len(data))
            if not chunk:
                break
            if not self.got:  # an answer has begun: an X server writes the rest with it
                self.deadline = min(self.deadline, time.monotonic() + self.patience)
            self.got += chunk
            data += chunk
        return data

    def _chunk(self, size: int) -> bytes:
        """What one ``recv`` returns within the time left, the notice said on the way."""
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                raise StalledAnswer(self.got)
            notice_due = not (self.noticed or self.got) and self.notice_at < self.deadline
            until = min(self.deadline, self.notice_at) if notice_due else self.deadline
            self.sock.settimeout(max(until - now, 0.001))
            try:
                return self.sock.recv(size)
            except TimeoutError:
                if notice_due and time.monotonic() >= self.notice_at:
                    self.noticed = True
                    self.waiting()


def _recv_setup_reply(answer: SetupAnswer) -> bytes:
    """The start of the server's answer: 8 bytes, then the reason of a refusal (b"" if it
    closed the connection without one). A head that is no X server's is returned as it is: a
    service whose first byte happened to be 0 or 2 was awaited for a length it never sent."""
    head = answer.read(8)
    if len(head) < 8 or head[0] not in X_SETUP_REFUSALS or not _x_shaped(head):
        return head
    (words,) = struct.unpack_from("<H", head, 6)
    return head + answer.read(min(words * 4, 4096))


def _not_x(display: str) -> str:
    """The words for something at ``display`` whose answer is not an X server's."""
    return (f"what answers at the X display {display} is no X server (its answer is not "
            "X's: is DISPLAY set to the right display?)")


def _x_refusal(display: str, reply: bytes, xauthority: str, sent: bool) -> str | None:
    """The words for a set-up reply that is not a success (None for one we cannot read);
    ``sent``: whether a cookie from ``xauthority`` went with the request."""
    cookie = (f"the cookie in {xauthority} is not the one it expects" if sent
              else f"{xauthority} has no cookie for it")
    fix = f"{cookie} (after ssh -X: reconnect; after sudo or su: keep XAUTHORITY, e.g. sudo -E)"
    if not reply:
        return (f"the X display {display} closed the connection without letting this program "
                f"in; {fix}")
    if not _x_shaped(reply):
        return _not_x(display)
    if len(reply) < 8 or reply[0] not in X_SETUP_REFUSALS:
        return None
    reason = reply[8:8 + reply[1]] if reply[0] == X_SETUP_FAILED else reply[8:]
    said = " ".join(reason.decode("latin-1").replace("\0", " ").split()) or "no reason given"
    return f"the X server at {display} refused this program ({said[:120]}); {fix}"


def _x_shaped(reply: bytes) -> bool:
    """Whether ``reply`` (at least its first byte) may begin an X server's set-up answer: its
    status, then (failed, success) the protocol's version, and a failure's reason within the
    length it gives. Unsure (cut short) counts as X's: Qt is let try."""
    if reply[0] not in X_SETUP_STATUSES:
        return False
    if reply[0] != X_SETUP_AUTHENTICATE and len(reply) >= 4 and reply[2:4] != _MAJOR_LE:
        return False
    return not (reply[0] == X_SETUP_FAILED and len(reply) >= 8
                and struct.unpack_from("<H", reply, 6)[0] * 4 < reply[1])


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
