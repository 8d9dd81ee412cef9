"""A stand-in for PyPI (JSON API + file host) on 127.0.0.1, for the MusiCNN wheel tests here
and in tests/robustness. A plain module with a name unique across tests/."""

from __future__ import annotations

import hashlib
import json

from local_http_support import QuietHandler, start

from musicsage.audio.musicnn import wheel as W


class FakePyPI:
    """A tiny HTTP server on 127.0.0.1 answering the JSON API and serving the file."""

    def __init__(self, payload: bytes, *, sha256: str | None = None, listed: bool = True) -> None:
        self.payload = payload
        self.requests: list[str] = []
        server = self

        class Handler(QuietHandler):
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

        self.running = start(Handler)  # (local_http_support: the one server of these tests)
        self.base = self.running.base

    def __enter__(self) -> "FakePyPI":
        return self

    def __exit__(self, *exc) -> None:
        self.running.stop()
