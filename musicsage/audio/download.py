"""What the weight downloads (OpenL3's ``.h5`` files, MusiCNN's wheel) share: the copy of an
answer into a file (progress, cancel, a full disk, a transfer cut short, all said one way: two
copies of the loop had drifted apart) with its size cap, the making of the folder it goes
to (a file or a dead link in the way, named), whether a damaged one may be deleted, and the
words for an answer that is no HTTP, for a failed request (an HTTP error, a proxy that does
not answer) and for a base URL that is none."""

from __future__ import annotations

import errno
import http.client
import io
import os
import selectors
import socket
import ssl
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import BinaryIO, Callable

from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

CHUNK = 1 << 16
WAIT_SLICE = 0.5
"""How often a download waiting for bytes looks at its cancel token (seconds)."""


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
    """An HTTP error answer in one line: ``HTTP 404 Not Found``. urllib's reason for too many
    redirects is three lines ("… would lead to an infinite loop.\\nThe last 30x error message
    was:\\nFound") and broke the command's one line; it is said in a few words, always as "in a
    loop or too many times": urllib says the same for a redirect to the same address, for
    more than 10 distinct redirects and for A→B→A, which the last answer alone cannot tell
    apart."""
    reason = str(exc.reason or "").strip()
    if "infinite loop" in reason:
        return f"HTTP {exc.code}: the server redirects in a loop or too many times"
    first = reason.splitlines()[0][:80] if reason else ""
    return f"HTTP {exc.code} {first}".strip()


def unreachable(url: str, exc: BaseException) -> str:
    """Why ``url`` could not be reached (no network, no DNS, refused, timed out), naming the
    proxy the request went through when one is set: "cannot reach https://github.com/…
    (Connection refused)" blamed the server for what a dead ``https_proxy`` refused, and the
    user looked at the wrong end. The system's words are given without their number
    ("Connection refused", not "[Errno 111] Connection refused")."""
    reason = getattr(exc, "reason", None) or exc
    words = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
    text = (str(words).strip().splitlines() or [type(reason).__name__])[0]
    proxy = proxy_for(url)
    if proxy is None:
        return text
    variable, address = proxy
    return (f"{text}, through the proxy {address} set in ${variable}: check that proxy, or "
            f"unset {variable}")


def proxy_for(url: str) -> tuple[str, str] | None:
    """``(environment variable, proxy address)`` that urllib sends ``url`` through, or None
    (no proxy for its scheme, or its host is in ``no_proxy``). The host is asked about as
    urllib asks, port included (``no_proxy=mirror.local:8080`` bypasses the proxy), and the
    address is given without its user name and password: it is shown to the user."""
    try:
        scheme, host = urllib.parse.urlsplit(url).scheme, urllib.request.Request(url).host
    except ValueError:  # no URL: nothing was sent through a proxy
        return None
    address = urllib.request.getproxies().get(scheme)
    if not address or urllib.request.proxy_bypass(host or ""):
        return None
    wanted = f"{scheme}_proxy"
    names = [n for n in os.environ if n.lower() == wanted]
    variable = wanted if wanted in names else (names[0] if names else wanted)
    return variable, without_credentials(address)


def without_credentials(address: str) -> str:
    """``address`` (``http://user:password@host:port/path``, or an authority alone) as the
    scheme and the ``host:port`` urllib connects to, never its user name and password: a
    proxy's password was printed in the download's line ("through the proxy
    http://alice:s3cret@…"). The authority is found as urllib's ``_parse_proxy`` finds it (up
    to the first ``/`` after its first ``@``), the user info cut at its last ``@``: cut
    over the whole rest, ``http://alice:s3cret@proxy:3128/p@th`` was shown as ``http://th``."""
    scheme, sep, rest = address.partition("://")
    if not sep:  # an authority alone ("alice:s3cret@proxy:3128"): urllib reads it whole
        return address.rpartition("@")[2]
    end = rest.find("/", max(rest.find("@"), 0))
    authority = rest if end == -1 else rest[:end]
    return scheme + sep + authority.rpartition("@")[2]


def not_a_web_address(source: str) -> str:
    """The line's words for a base URL (a mirror's, from ``source``: an environment variable
    or an option) that is no web address: urllib's "unknown url type: 'mirror.local/…'"
    ended the command as a bug."""
    return f"{source} must be an http:// or https:// address"


def not_a_valid_address(source: str, exc: http.client.InvalidURL) -> str:
    """The line's words for a base URL whose host or port is none (``http://mirror.local:abc/``:
    "nonnumeric port: 'abc'"), naming ``source``: http.client's InvalidURL is an
    HTTPException, and was said as "the answer was not HTTP …, a network that wants a login
    first?", though nothing was asked of any network."""
    detail = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else ""
    return f"{source} is no valid web address" + (f" ({detail})" if detail else "")


def invalid_address(url: str, source: str, exc: http.client.InvalidURL) -> str:
    """:func:`not_a_valid_address` for ``url``, whose base came from ``source``, or for the
    proxy it went through when that proxy's own address is what is invalid: a proxy's port
    that is no number (``http_proxy=http://proxy:abc``) raises the same InvalidURL, and the
    line blamed a good mirror. A valid proxy leaves the blame on ``source`` (an https
    mirror's bad port fails in the tunnel through it). The proxy is named without its user
    name and password (:func:`proxy_for`)."""
    proxy = proxy_for(url)
    if proxy is None or _connectable(proxy[1]):
        return not_a_valid_address(source, exc)
    variable, address = proxy
    return (f"{not_a_valid_address(f'the proxy {address} set in ${variable}', exc)}: fix or "
            f"unset {variable}")


def _connectable(address: str) -> bool:
    """Whether http.client takes the ``host:port`` of ``address`` (as :func:`without_credentials`
    gives it) as one to connect to; no connection is made."""
    _, sep, authority = address.partition("://")
    try:
        http.client.HTTPConnection(authority if sep else address)
    except http.client.InvalidURL:
        return False
    return True


def base_source(given: str | None, env_name: str, label: str) -> str:
    """Where a download's base URL came from, for a line saying it is no web address: the
    environment variable ``env_name`` when it set the base (``given`` is None), else
    ``label`` (an option, or the built-in address)."""
    return f"${env_name}" if not given and os.environ.get(env_name) else label


def content_length(response: http.client.HTTPResponse) -> int | None:
    """The answer's announced size, or None when it has none that is a number. A header sent
    twice arrives joined ("102402, 102402"): one value repeated is that value; it failed
    the wheel's download, whose loop read it with a bare ``int``. Only ASCII digits are a
    number: ``"²".isdigit()`` is True, and ``int("²")`` ended the download as a bug."""
    value = response.headers.get("Content-Length")
    values = {v.strip() for v in str(value).split(",")} if value is not None else set()
    size = values.pop() if len(values) == 1 else ""
    return int(size) if size.isascii() and size.isdigit() else None  # "²" is a digit


def open_url(url: str, timeout: float,
             cancel: CancelToken | None = None) -> http.client.HTTPResponse:
    """``urllib.request.urlopen(url, timeout=timeout)``, its errors as it raises them, given up
    as soon as ``cancel`` is set (:class:`~musicsage.errors.Cancelled`): a server that took
    the connection and then said nothing (or a TLS handshake that stalled) held the window's
    Cancel, and a SIGTERM, until the timeout (30 s), and the stop ended as "cannot reach …
    (timed out)". The request runs in a thread of its own; one given up on ends by its
    timeout, and an answer that comes after is closed. A failure that comes after the cancel
    was asked for, before it was seen, is the cancel, as in :func:`copy_answer`: a Ctrl-C
    ended as "cannot reach … (Connection reset by peer)"."""
    if cancel is None:
        return urllib.request.urlopen(url, timeout=timeout)
    came: list[tuple[http.client.HTTPResponse | None, BaseException | None]] = []
    lock, done, abandoned = threading.Lock(), threading.Event(), threading.Event()

    def request() -> None:
        try:
            got: tuple = (urllib.request.urlopen(url, timeout=timeout), None)
        except BaseException as exc:  # noqa: BLE001 (raised again in the caller's thread)
            got = (None, exc)
        with lock:
            if abandoned.is_set() and got[0] is not None:
                got[0].close()
            came.append(got)
            done.set()

    threading.Thread(target=request, name="download request", daemon=True).start()
    while not done.wait(WAIT_SLICE):
        with lock:
            if cancel.cancelled and not done.is_set():
                abandoned.set()
                check_cancel(cancel)
    response, error = came[0]
    if error is not None:
        check_cancel(cancel)
        raise error
    return response


def copy_answer(response: http.client.HTTPResponse, out: BinaryIO, *, stage: str,
                failed: Callable[[str], Exception], on_full: Callable[[OSError], Exception],
                progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                detail: str = "", on_chunk: Callable[[bytes], object] | None = None,
                max_bytes: tuple[int, Callable[[], Exception]] | None = None) -> int:
    """Copy ``response``'s body into ``out`` and return its size, reporting ``stage``'s
    progress and checking ``cancel`` before each chunk. A transfer that ends early (before its
    Content-Length, a chunk cut, a reset connection) raises ``failed(why)``, ``why`` being
    "was cut short (1000 of 2000 bytes)" or "was interrupted (…)", to follow "the download of
    X"; a cancel asked for while a read waited wins over its failure or end (Ctrl-C on a
    link that stalled ended, 30 s later, as "was interrupted (timed out)", exit status 1, the
    stop unsaid); a full disk raises ``on_full(exc)`` (:func:`write_chunk`). ``on_chunk``
    sees each chunk (a digest). ``max_bytes``, ``(cap, too_big)``: an answer larger than
    ``cap`` raises ``too_big()``, before a byte is read when its Content-Length says so, else
    before the chunk past it is written (a mirror's or a portal's disk image filled the disk,
    to find only at its end that it did not verify; each download had its own copy of the
    check)."""
    total = content_length(response)
    cap, too_big = max_bytes if max_bytes is not None else (None, None)
    if cap is not None and too_big is not None and (total or 0) > cap:
        raise too_big()
    done, read = 0, _read_what_came(response, cancel)
    report(progress, stage, 0, total, detail)
    while True:
        check_cancel(cancel)
        try:
            chunk = read(CHUNK)
        except http.client.IncompleteRead as exc:  # a chunked answer cut mid-chunk
            check_cancel(cancel)  # asked for while it waited: the stop, not the network's fault
            raise failed(cut_short(done + len(exc.partial), total)) from None
        except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, timed out
            check_cancel(cancel)
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise failed(f"was interrupted ({reason})") from None
        if not chunk:
            break
        if cap is not None and too_big is not None and done + len(chunk) > cap:
            raise too_big()
        write_chunk(out, chunk, on_full)
        if on_chunk is not None:
            on_chunk(chunk)
        done += len(chunk)
        report(progress, stage, done, total, detail)
    check_cancel(cancel)  # the server closed (FIN) as the cancel waited: the stop, not a cut
    if total is not None and done != total:
        raise failed(cut_short(done, total))
    return done


SMALL_ANSWER_BYTES = 8 << 20
"""The most :func:`read_answer` reads: a package index's JSON is a few KB."""


def read_answer(response: http.client.HTTPResponse, url: str, cancel: CancelToken | None,
                cap: int = SMALL_ANSWER_BYTES) -> bytes:
    """The whole body of ``response`` (from ``url``), a small one (a package index's JSON), read
    as :func:`copy_answer` reads: ``response.read()`` waited for a body that stalled (its
    headers sent) until the timeout, Cancel unseen, and the stop was said and remembered as
    "could not download … (timed out)"; an endless one filled the memory. A transfer that ends
    early raises :class:`OSError` ("the answer from URL was cut short …"), one over ``cap``
    :class:`ValueError`, a cancel :class:`~musicsage.errors.Cancelled`."""
    body = io.BytesIO()

    def too_big() -> ValueError:
        return ValueError(f"the answer from {url} is over {cap >> 20} MB, too large for what "
                          "was asked")

    copy_answer(response, body, stage="", cancel=cancel, max_bytes=(cap, too_big),
                failed=lambda why: OSError(f"the answer from {url} {why}"),
                on_full=lambda exc: exc)
    return body.getvalue()


def _read_what_came(response: http.client.HTTPResponse,
                    cancel: CancelToken | None) -> Callable[[int], bytes]:
    """How to read the next chunk of ``response``: what has come so far (``read1``, at most
    the chunk), not a full chunk, once something has come (:func:`_wait_for_data`).
    ``read(CHUNK)`` waited for all 64 KiB: on a slow link (a hotel's 1 KB/s) Ctrl-C, a
    SIGTERM or the window's Cancel waited a minute for the chunk before the cancel was seen,
    and the progress bar stood still as long. An answer without ``read1`` or a socket (a
    wrapped stream) is read as before."""
    read1 = getattr(response, "read1", None)
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if read1 is None or not isinstance(sock, socket.socket):
        return read1 or response.read

    def read(size: int) -> bytes:
        if response.fp is not None and response.length != 0:  # 0: all came, none to wait for
            _wait_for_data(response.fp, sock, cancel)
        return read1(size)

    return read


def _wait_for_data(buffered: io.BufferedReader, sock: socket.socket,
                   cancel: CancelToken | None) -> None:
    """Return once a read of ``buffered`` (over ``sock``) would not wait: bytes (or the end)
    have come. Meanwhile ``cancel`` is checked every :data:`WAIT_SLICE` seconds, and past the
    socket's timeout without a byte it raises :class:`TimeoutError` as the read would. A read
    on a link that stalled blocked until the timeout (30 s), and the window's Cancel waited as
    long (the command line gets out through its signals); a read after a timeout does not
    work. Bytes that come without completing a TLS record restart the timeout (a blocking
    read would still be reading them) but are no reason to read: that read waited for the
    whole record (16 KB, 16 s at 1 KB/s) before the cancel was seen. ``selectors``, not
    ``select.select``: that refuses a descriptor past 1023 ("filedescriptor out of range in
    select()"), which a window open long with many files has, and the download failed."""
    timeout = sock.gettimeout()
    deadline = None if timeout is None else time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        while not _has_data(buffered, sock, selector):
            check_cancel(cancel)
            left = WAIT_SLICE if deadline is None else min(WAIT_SLICE,
                                                           deadline - time.monotonic())
            if left <= 0:
                raise TimeoutError("timed out")
            if selector.select(left) and timeout is not None:
                deadline = time.monotonic() + timeout  # bytes came: the link is alive


def _has_data(buffered: io.BufferedReader, sock: socket.socket,
              selector: selectors.BaseSelector) -> bool:
    """Whether a read of ``buffered`` would return at once: bytes wait in the reader's buffer
    (the body's start read with the headers) or in TLS's, which no selector sees, or a plain
    socket is readable (data, the end, an error). Those are found by a peek with the socket
    briefly not blocking. Over TLS a readable socket is not enough (part of a record cannot
    be read): only the peek tells, failing with "want read" until a whole record has come;
    an empty peek there is the end, on a plain socket it is nothing yet."""
    tls = isinstance(sock, ssl.SSLSocket)
    if not tls and selector.select(0):
        return True
    timeout = sock.gettimeout()
    try:
        sock.settimeout(0.0)
        return bool(buffered.peek(1)) or tls
    except ssl.SSLWantReadError:  # nothing, or part of a record: a read would wait
        return False
    except OSError:  # a reset, a damaged record: the read says it
        return True
    finally:
        sock.settimeout(timeout)


def cut_short(done: int, total: int | None) -> str:
    """How much of a transfer that ended early came, after "the download of X"."""
    if total is None:
        return f"was cut short after {done} bytes"
    return f"was cut short ({done} of {total} bytes)"


def make_folder(folder: Path) -> str | None:
    """Make ``folder`` (and the folders above it) for a download; None once it is there, else
    what is in its way and what to do, in words to follow "cannot write into FOLDER: " (and
    to be followed by " and run it again"). Other errors (no permission, a read-only disk)
    are raised: each download says them where it writes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file, a link leading nowhere or a loop of links in the way
        if exc.errno not in (errno.EEXIST, errno.ENOTDIR, errno.ELOOP):
            raise
        return in_the_way(folder, exc)
    return None


def in_the_way(folder: Path, exc: OSError) -> str:
    """What stops ``folder`` from being made: the first of it and the folders above it, from
    the top, that is there and no folder. A file above it is named (the folder's own name
    sent the user looking for a file that is not there); a link that leads nowhere
    (``~/.cache`` to an unplugged drive) is said so, for it "exists" as nothing but a link;
    so is one in a loop of links (``ELOOP``)."""
    blocker = next((p for p in [*reversed(folder.parents), folder]
                    if os.path.lexists(p) and not p.is_dir()), folder)
    if blocker.is_symlink() and _loops(blocker):  # mkdir says EEXIST when it is the folder
        return f"the link {blocker} leads round a loop of links: move the link away"
    if blocker.is_symlink() and not blocker.exists():
        return _leads_nowhere(blocker)
    which = "a file is" if blocker == folder else f"the file {blocker} is"
    return f"{which} in the way ({exc.strerror}): move it away"


def not_a_file(target: Path) -> str | None:
    """What stands where a download's file ``target`` goes and is no file, in words to follow
    "cannot write …: " (and to be followed by " and run it again"); None when nothing or a
    file is there. A folder of that name let the whole download run, then failed its move
    into place as "could not download … from PyPI ([Errno 21] Is a directory …)", blamed on
    the network (and remembered so), or as a bare IsADirectoryError (OpenL3's); a link there
    that leads nowhere (to an unplugged drive) was replaced by the download, the user's link
    lost. Said before anything is asked of the network."""
    if target.is_symlink() and _loops(target):
        return f"the link {target} leads round a loop of links: move the link away"
    if target.is_symlink() and not target.exists():
        return _leads_nowhere(target)
    if target.is_dir():
        return f"the folder {target} is in the way: move it away"
    return None


def not_deletable(path: Path) -> str | None:
    """Why this user may not delete the file at ``path`` (a damaged download, else told
    "delete it"), in words to follow "…: "; None when they may: they may write its folder
    and, where that folder is sticky (mode 1777, a shared drop folder as ``/tmp``), it or the
    file is theirs or they are root. Writing the folder alone said "delete it" of another
    user's file there, and deleting it failed (``EPERM``)."""
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"it lies in {folder}, which you cannot write"
    try:
        if not folder.stat().st_mode & stat.S_ISVTX or \
                os.geteuid() in (0, folder.stat().st_uid, path.lstat().st_uid):
            return None
    except OSError:  # gone meanwhile: nothing of another user's left to delete
        return None
    return f"it lies in {folder}, a shared folder where only its owner may delete it"


def _leads_nowhere(link: Path) -> str:
    """The words for ``link``, which leads nowhere (``~/.cache`` to an unplugged drive)."""
    try:
        where = f" (to {os.readlink(link)}, which is not there)"
    except OSError:  # gone meanwhile
        where = ""
    return (f"the link {link} leads nowhere{where}: plug in the drive it leads to, or move "
            "the link away")


def _loops(link: Path) -> bool:
    """Whether following ``link`` goes round a loop of links (``ELOOP``), not to nothing."""
    try:
        os.stat(link)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False
