"""Keep libmpg123's resync chatter off the user's terminal, and nothing else.

libsndfile decodes MP3 with libmpg123, which writes straight to file descriptor 2 when it
meets a damaged frame: "Note: Illegal Audio-MPEG-Header …", "Note: Trying to resync…",
"[src/libmpg123/parse.c:…] error: Giving up resync…", a few lines per bad frame and no way
to switch it off through soundfile. A scan or an embed over one damaged MP3 then floods the
terminal around the one-line message the app gives for that file.

:func:`decoder_noise_muted` points descriptor 2 at a temporary file while an MP3 is read and,
when the last reader is done, writes back everything that was not such chatter: output of
other threads written meanwhile arrives late, never lost. Because a child process inherits
descriptor 2, :func:`real_stderr` is held while one is started: it waits until no read is
muted, and muted reads wait until the start is done, so no child ever writes its errors
into a file that is about to be dropped.

libsndfile picks its decoder by a file's first bytes, not its name, so :func:`might_be_noisy`
looks at both: an MP3 named ``.flac`` or ``.ogg`` (or with no extension), or MP3 frames in a
WAV, went through libmpg123 unmuted, and its chatter broke ``embed``'s progress lines and the
player's terminal.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import PurePath
from typing import IO, Iterator

from musicsage.library.content_format import HEAD_BYTES, format_of_open_file

#: File name endings libsndfile hands to libmpg123.
MPEG_SUFFIXES = frozenset({".mp3", ".mp2", ".mp1", ".mpga"})

#: The WAV format tag of MP3 audio (WAVE_FORMAT_MPEGLAYER3), which libsndfile decodes.
_WAV_MP3_TAG = 0x0055
#: How many chunks of a WAV are passed over looking for its ``fmt `` chunk.
_WAV_CHUNKS_LOOKED_AT = 16

#: Where libmpg123's chatter starts: its errors at their source position ("[src/libmpg123/
#: parse.c:wetwork():1349] error: …"), its notes and warnings ("Note: ", "Warning: ") at the
#: start of a line — or where a progress bar's redraw left the cursor: tqdm draws "\r…]" with
#: no newline, so libmpg123's line goes on from the bar's end. Nothing else the app or its
#: libraries write looks like that.
_NOISE = re.compile(rb"\[src/libmpg123/|(?:^|(?<=[\r\]]))(?:Note|Warning): ")

_state = threading.Condition()
_muted = 0  # reads inside decoder_noise_muted, all threads
_starting = 0  # threads inside real_stderr
_saved_fd: int | None = None
_capture: IO[bytes] | None = None
_thread = threading.local()


def might_be_noisy(path: str | bytes | os.PathLike) -> bool:
    """Whether reading ``path`` with libsndfile goes through libmpg123: by its name, or by
    its first bytes (what libsndfile goes by). Never raises: a file it cannot look into is
    judged by its name, and the read that follows says what is wrong with it."""
    name = os.fsdecode(os.fspath(path))
    return PurePath(name).suffix.lower() in MPEG_SUFFIXES or _holds_mpeg(path)


def _holds_mpeg(path: str | bytes | os.PathLike) -> bool:
    """Whether the file's bytes start as MPEG audio (after any ID3v2 tag), or are a WAV of
    MP3 audio (:func:`_wav_holds_mpeg`). A named pipe or a device is not opened (a pipe's
    open would wait for a writer), nor does the open block should a pipe take the file's
    place meanwhile. Costs one open and a 40-byte read (a few more past an ID3v2 tag or in a
    WAV): some microseconds."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        with open(os.open(path, flags), "rb") as fh:
            fmt = format_of_open_file(fh, fh.read(HEAD_BYTES))
            return fmt == "mp3" or (fmt == "wav" and _wav_holds_mpeg(fh))
    except (OSError, ValueError):  # missing, unreadable, a NUL in the name…
        return False


def _wav_holds_mpeg(fh: IO[bytes]) -> bool:
    """Whether a WAV's ``fmt `` chunk says MP3 audio (format tag 0x55, as some recorders
    and Windows' codecs write): libsndfile reads such a WAV with libmpg123 too. The chunk is
    looked for among the first :data:`_WAV_CHUNKS_LOOKED_AT` (a broadcast WAV may put its
    ``bext`` chunk first)."""
    at = 12  # past "RIFF", its size, "WAVE"
    for _ in range(_WAV_CHUNKS_LOOKED_AT):
        fh.seek(at)
        head = fh.read(10)
        if len(head) < 10:
            return False
        size = int.from_bytes(head[4:8], "little")
        if head[:4] == b"fmt ":
            return int.from_bytes(head[8:10], "little") == _WAV_MP3_TAG
        at += 8 + size + (size & 1)  # chunks are padded to an even size
    return False


@contextmanager
def decoder_noise_muted(active: bool = True) -> Iterator[None]:
    """Run the block with libmpg123's chatter dropped (see the module doc); ``active=False``
    runs it as it is. Nests, and is safe from several threads at once."""
    if not active or getattr(_thread, "starting", 0):
        yield  # a thread starting a child must not wait for itself
        return
    _enter()
    try:
        yield
    finally:
        _leave()


@contextmanager
def real_stderr() -> Iterator[None]:
    """Hold while starting a child process: descriptor 2 is the real one throughout."""
    global _starting
    with _state:
        _starting += 1
        _thread.starting = getattr(_thread, "starting", 0) + 1
        while _muted and not getattr(_thread, "muting", 0):
            _state.wait()
    try:
        yield
    finally:
        with _state:
            _starting -= 1
            _thread.starting -= 1
            _state.notify_all()


def drop_noise(data: bytes) -> bytes:
    """``data`` without libmpg123's lines (every other byte kept, in order). A line is cut
    where the chatter starts, to its end: what came before it on that line (a progress bar,
    redrawn next with "\r") stays, without the newline that was libmpg123's."""
    kept = []
    for line in data.splitlines(keepends=True):
        noise = _NOISE.search(line)
        kept.append(line if noise is None else line[:noise.start()])
    return b"".join(kept)


def _enter() -> None:
    global _muted, _saved_fd, _capture
    with _state:
        while _starting and not getattr(_thread, "muting", 0):  # a nested read goes on
            _state.wait()
        if _muted == 0:
            _saved_fd, _capture = _redirect()
        _muted += 1
        _thread.muting = getattr(_thread, "muting", 0) + 1


def _leave() -> None:
    global _muted, _saved_fd, _capture
    with _state:
        _muted -= 1
        _thread.muting -= 1
        if _muted == 0:
            _restore(_saved_fd, _capture)
            _saved_fd = _capture = None
            _state.notify_all()


def _redirect() -> tuple[int | None, IO[bytes] | None]:
    """Point descriptor 2 at a fresh temporary file; (None, None) where that cannot be done
    (no descriptor 2, no temporary directory): the chatter then shows, nothing breaks."""
    _flush_python_stderr()
    try:
        capture = tempfile.TemporaryFile(prefix="musicsage-decoder-")
    except OSError:
        return None, None
    try:
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
    except OSError:
        capture.close()
        return None, None
    return saved, capture


def _restore(saved: int | None, capture: IO[bytes] | None) -> None:
    if saved is None or capture is None:
        return
    _flush_python_stderr()
    os.dup2(saved, 2)
    os.close(saved)
    try:
        capture.seek(0)
        kept = drop_noise(capture.read())
    finally:
        capture.close()
    while kept:
        try:
            kept = kept[os.write(2, kept):]
        except OSError:
            return  # the terminal went away: nothing left to show it to


def _flush_python_stderr() -> None:
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass  # no sys.stderr, or a closed one
