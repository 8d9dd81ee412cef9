"""A throwaway HTTP server on 127.0.0.1 for the download tests: each test names how its
server answers (a handler class) and gets the address to download from, never the network."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A handler that keeps the server's request log out of the test output."""

    def log_message(self, *args):
        pass


def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serves ``handler`` in a background thread until the generator is closed (a fixture
    yields from it): the server's base address, ending with a slash."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
