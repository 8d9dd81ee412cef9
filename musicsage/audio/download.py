"""What the weight downloads (OpenL3's ``.h5`` files, MusiCNN's wheel) share: the words for an
answer that is no HTTP, and the write of a chunk that says a full disk as such."""

from __future__ import annotations

import http.client
from typing import BinaryIO, Callable


def not_http(exc: http.client.HTTPException) -> str:
    """What an answer that is no HTTP (a captive portal's login page, a proxy's, a server
    that closed before answering) was, in a few words, for the download's line."""
    detail = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else ""
    return (f"the answer was not HTTP ({type(exc).__name__}"
            + (f": {detail}" if detail else "") + "), a network that wants a login first?")


def write_chunk(out: BinaryIO, chunk: bytes, on_full: Callable[[OSError], Exception]) -> None:
    """Write a chunk of a download; a full disk (or a quota) raises ``on_full(exc)``, which
    names the folder: a bare "[Errno 28] No space left on device" named none, and a download's
    "could not download … where it is reachable" blamed the network."""
    try:
        out.write(chunk)
        out.flush()  # a buffered tail failed in close(), outside this
    except OSError as exc:
        raise on_full(exc) from None
