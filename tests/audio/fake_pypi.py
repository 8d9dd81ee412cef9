"""A stand-in for PyPI (JSON API + file host) on 127.0.0.1, for the MusiCNN wheel tests here
and in tests/robustness. A plain module with a name unique across tests/."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading

from musicsage.audio.musicnn import wheel as W


class FakePyPI:
    """A tiny HTTP server on 127.0.0.1 answering the JSON API and serving the file."""

    def __init__(self, payload: bytes, *, sha256: str | None = None, listed: bool = True) -> None:
        self.payload = payload
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                if self.path == f"/pypi/musicnn/{W.VERSION}/json":
                    files = [{"filename": W.WHEEL_NAME,
                              "url": f"{server.base}/files/{W.WHEEL_NAME}",
                              "digests": {"sha256": sha256 or hashlib.sha256(payload).hexdigest()}}]
                    body = json.dumps({"urls": files if listed else []}).encode()
                elif self.path == f"/files/{W.WHEEL_NAME}":
                    body = server.payload
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FakePyPI":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
