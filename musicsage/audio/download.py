"""What the weight downloads (OpenL3's ``.h5`` files, MusiCNN's wheel) share: the words for an
answer that is no HTTP, for a failed request (an HTTP error, a proxy that does not answer),
and the write of a chunk that says a full disk as such."""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
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


def http_failure(exc: urllib.error.HTTPError) -> str:
    """An HTTP error answer in one line: ``HTTP 404 Not Found``. A redirect loop's reason is
    three lines ("… would lead to an infinite loop.\\nThe last 30x error message was:\\n
    Found") and broke the command's one line; it is named as the loop it is."""
    reason = str(exc.reason or "").strip()
    if "infinite loop" in reason:
        return f"HTTP {exc.code}: the server redirects in a loop"
    first = reason.splitlines()[0][:80] if reason else ""
    return f"HTTP {exc.code} {first}".strip()


def unreachable(url: str, exc: BaseException) -> str:
    """Why ``url`` could not be reached (no network, no DNS, refused, timed out), naming the
    proxy the request went through when one is set: "cannot reach https://github.com/…
    (Connection refused)" blamed the server for what a dead ``https_proxy`` refused, and the
    user looked at the wrong end."""
    reason = getattr(exc, "reason", None) or exc
    text = (str(reason).strip().splitlines() or [type(reason).__name__])[0]
    proxy = proxy_for(url)
    if proxy is None:
        return text
    variable, address = proxy
    return (f"{text}, through the proxy {address} set in ${variable}: check that proxy, or "
            f"unset {variable}")


def proxy_for(url: str) -> tuple[str, str] | None:
    """``(environment variable, proxy address)`` that urllib sends ``url`` through, or None
    (no proxy for its scheme, or its host is in ``no_proxy``)."""
    parts = urllib.parse.urlsplit(url)
    address = urllib.request.getproxies().get(parts.scheme)
    if not address or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    wanted = f"{parts.scheme}_proxy"
    names = [n for n in os.environ if n.lower() == wanted]
    variable = wanted if wanted in names else (names[0] if names else wanted)
    return variable, address
