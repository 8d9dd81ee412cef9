"""The library's secret for the MACs of its neighbour indexes (:mod:`musicsage.search.index`).

hnswlib trusts the files it loads, so an index is only handed to it when its MAC, made with
this key, matches. The key lives in the library's data dir, not in the cache with the index:
a file written by anyone who does not know the key is rebuilt, never loaded. A read-only
library with no key yet keeps one in its spare cache folder instead (mode 0600, trusted only
while no other user could have written it): with a key of each process's own, the index saved
there was trusted by no later command, and every one built and wrote it again. So does a user
of a library whose key is another user's (a shared, group-writable library): replacing it made
each of two users distrust, rebuild and overwrite the other's index on every command.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from musicsage.files import remove_stale_writes, write_temporary

KEY_FILE = "index-key"

_session_keys: dict[str, bytes] = {}
_key_lock = threading.Lock()


class _AnotherUsersKey(Exception):
    """The key file is there but not this user's: unreadable, or owned by someone else. Never
    replaced (its owner's indexes would all be distrusted), and never used."""


def index_key(data_dir: str | os.PathLike[str],
              spare_dir: str | os.PathLike[str] | None = None) -> bytes:
    """The key of :func:`user_index_key` alone, for tests and one-user tools. The app uses
    :func:`user_index_key`: a caller that drops whether the key file is another user's would
    write its index over that user's in the library's cache."""
    return user_index_key(data_dir, spare_dir)[0]


def user_index_key(data_dir: str | os.PathLike[str],
                   spare_dir: str | os.PathLike[str] | None = None) -> tuple[bytes, bool]:
    """The key in ``data_dir/index-key`` (32 random bytes, mode 0600), made on first use, and
    whether that file is another user's (True: the key is this user's own, and the indexes
    made with it belong in the spare folder, never over that user's in the library's cache).
    Where it cannot be stored (a read-only library) or is another user's, the one in
    ``spare_dir/index-key`` (the library's spare cache folder); where neither can be, a key
    for this process alone.

    The file is written whole under a temporary name and then linked into place, so it
    appears complete or not at all. One that is not 32 bytes (a process killed between
    creating and writing it, by an older version) is replaced: kept, it made every process
    fall back to a key of its own, so no process trusted another's index and each rebuilt it.
    The temporary of a process killed before it removed its own is removed: made before the
    key, it would otherwise stay beside it for good.
    """
    path = Path(data_dir) / KEY_FILE
    with _key_lock:
        try:
            key, theirs = _kept_key(path, _stored_key), False
        except _AnotherUsersKey:
            key, theirs = None, True
        if key is None and spare_dir is not None:
            key = _kept_key(Path(spare_dir) / KEY_FILE, _private_key, make_folder=True)
        if key is None:
            key = _session_keys.setdefault(str(path), os.urandom(32))
        return key, theirs


def _kept_key(path: Path, read, *, make_folder: bool = False) -> bytes | None:
    """The key ``read`` finds in ``path``, made there first if need be; None where none can
    be kept there (a read-only folder or mount). :class:`_AnotherUsersKey` from ``read``
    passes through, the file left as it is."""
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_writes(path)
    except OSError:
        return None
    key = read(path)
    if key is not None:
        return key
    tmp = write_temporary(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never over a key another process made meanwhile
        except FileExistsError:
            if read(path) is None:  # still damaged: ours replaces it
                os.replace(tmp, path)
        return read(path)
    except OSError:
        return None
    finally:
        _remove_quietly(tmp)


def _remove_quietly(tmp: Path) -> None:
    """Delete our temporary key file if it is there. On a read-only mount even removing a
    file that was never made fails ("Read-only file system", not "not found"): raised, it
    made ``similar`` and ``map`` refuse a read-only library instead of using a key of their
    own."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _stored_key(path: Path) -> bytes | None:
    """The key in ``path`` if it holds one (exactly 32 bytes), else None (none, or damaged).
    Raises :class:`_AnotherUsersKey` for a key this user may not read or does not own."""
    try:
        with open(path, "rb") as f:
            if hasattr(os, "getuid") and os.fstat(f.fileno()).st_uid != os.getuid():
                raise _AnotherUsersKey(path)
            key = f.read(33)
    except PermissionError as exc:
        raise _AnotherUsersKey(path) from exc
    except OSError:
        return None
    return key if len(key) == 32 else None


def _private_key(path: Path) -> bytes | None:
    """:func:`_stored_key` of a key in the per-user cache, trusted only as a plain file of
    this user that no one else can read or write: a key another user could plant there (a
    cache folder others can write into) would let their index reach hnswlib."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    private = stat.S_ISREG(st.st_mode) and mine and not st.st_mode & 0o077
    try:
        return _stored_key(path) if private else None
    except _AnotherUsersKey:  # this user's own, yet unreadable (mode 0000): replaced
        return None
