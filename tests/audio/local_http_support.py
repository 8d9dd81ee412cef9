"""Throwaway servers on 127.0.0.1 for the download tests, never the network: an HTTP(S) one
answering with a handler class each test names (:func:`start`, :func:`serve`), and a raw one
calling a function with each connection it accepts (:func:`accepting`: an answer that is no
HTTP, a server that says nothing). One copy, used by every download test: each file had its
own, and each stopped slowly (``serve_forever`` looks for its shutdown every 0.5 s)."""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

POLL_SECONDS = 0.02
"""How often a server looks whether it is asked to stop (``serve_forever``'s 0.5 s made each
test wait up to half a second at its end)."""


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A handler that keeps the server's request log out of the test output."""

    def log_message(self, *args):
        pass


@dataclass
class Running:
    """A server started by :func:`start`: its ``base`` address (``http://127.0.0.1:PORT``, no
    slash at the end), the ``(host, port)`` it listens on, and how to ``stop`` it."""

    base: str
    address: tuple[str, int]
    stop: Callable[[], None]

    def __enter__(self) -> "Running":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(handler: type[http.server.BaseHTTPRequestHandler],
          tls: ssl.SSLContext | None = None) -> Running:
    """Serve ``handler`` (over TLS with ``tls``, a server-side context) in a background thread
    until :attr:`Running.stop`."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, args=(POLL_SECONDS,), daemon=True).start()
    port = httpd.server_address[1]

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return Running(f"{'https' if tls else 'http'}://127.0.0.1:{port}", ("127.0.0.1", port),
                   stop)


def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serves ``handler`` in a background thread until the generator is closed (a fixture
    yields from it): the server's base address, ending with a slash."""
    running = start(handler)
    yield running.base + "/"
    running.stop()


def accepting(answer: Callable[[socket.socket], None] | None = None
              ) -> tuple[str, Callable[[], None]]:
    """A raw server calling ``answer(connection)`` for each connection, in a thread of its
    own (None: the connection is held and never answered); returns its base address (ending
    with a slash) and how to stop it, which closes every connection still held."""
    listening = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection = listening.accept()[0]
            except OSError:  # closed: the test is over
                return
            held.append(connection)
            if answer is not None:
                threading.Thread(target=answer, args=(connection,), daemon=True).start()

    def stop() -> None:
        listening.close()
        for connection in held:
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    return f"http://127.0.0.1:{listening.getsockname()[1]}/", stop
