"""umap-learn made fast to start and able to report progress (why: docs/scale.md).

- **numba's compile cache in the user cache dir.** umap-learn is numba code; compiling it
  costs tens of seconds per process. ``NUMBA_CACHE_DIR`` must be set before numba is
  imported (:func:`configure_numba_cache`), and -- because umap-learn 0.5 declares
  ``cache=True`` on only one of its functions -- :func:`import_umap` also switches caching on
  for umap's own dispatchers before their first compile. A second process then loads machine
  code from disk instead of compiling (``bench/umap_timing.py`` measures both).
- **Epochs reported per thread.** umap runs its epoch loop through ``umap.layouts.tqdm``;
  :func:`import_umap` routes that through :data:`EPOCH_HOOK`, a thread-local hook the layout
  sets while it runs (other threads and other callers keep plain tqdm).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

EPOCH_HOOK = threading.local()
"""``EPOCH_HOOK.hook``: the calling thread's wrapper of umap's epoch iterable, or None."""
_umap_lock = threading.Lock()
_umap_ready = False


def configure_numba_cache(cache_dir: str | os.PathLike) -> Path:
    """Point numba's on-disk compile cache at ``cache_dir`` (once per process).

    Respects a ``NUMBA_CACHE_DIR`` the user set. Effective for modules imported afterwards;
    if numba is already imported its config is updated too, which covers the dispatchers
    :func:`import_umap` enables caching on.
    """
    wanted = os.environ.get("NUMBA_CACHE_DIR") or str(cache_dir)
    chosen = wanted if _writable_folder(wanted) else _spare_cache_dir()
    if chosen is None:  # numba then keeps it where it can (beside umap, its own user cache)
        log.warning("numba's cache folder %s cannot be written: umap's compiled code may not "
                    "be kept for the next process", wanted)
        return Path(wanted)
    if chosen != wanted:  # a read-only or full disk, a file in the way: the map still works
        log.warning("numba's cache folder %s cannot be written: using %s", wanted, chosen)
    os.environ["NUMBA_CACHE_DIR"] = chosen
    if "numba" in sys.modules:
        sys.modules["numba"].config.CACHE_DIR = chosen
    return Path(chosen)


_spare_made: dict[str, str] = {}
"""The private temporary cache folder made in this process, by temporary folder: made once."""


def _spare_cache_dir() -> str | None:
    """Where numba's cache goes when the chosen folder cannot be written: the per-user
    ``musicsage-numba-<uid>`` in the temporary folder, made private (0700) and taken only if
    it is this user's own folder that nobody else can write into — numba loads pickled code
    from its cache, and another user could make that predictable name first and plant files
    in it. Else a new private folder (for this process); None when none can be made."""
    import tempfile

    tmp = tempfile.gettempdir()
    uid = os.getuid() if hasattr(os, "getuid") else None
    path = os.path.join(tmp, f"musicsage-numba-{uid if uid is not None else 'user'}")
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)
        if _private_folder(path, uid) and _writable_folder(path):
            return path
        if tmp not in _spare_made:
            _spare_made[tmp] = tempfile.mkdtemp(prefix="musicsage-numba-")
        return _spare_made[tmp]
    except OSError:
        return None


def _private_folder(path: str, uid: int | None) -> bool:
    """Whether ``path`` is a folder (not a link) of user ``uid`` that no group or other user
    can write into (``uid`` None: a system without owners). One that others could write into
    is refused, not made private: it may already hold planted pickled code, and chmod keeps
    what is inside."""
    import stat

    st = os.lstat(path)
    return stat.S_ISDIR(st.st_mode) and (uid is None or (st.st_uid == uid
                                                          and not st.st_mode & 0o022))


def _writable_folder(path: str) -> bool:
    """Whether ``path`` is (made now if need be) a folder this process can write into: else
    the map failed whole, "musicsage map: Not a directory: …", for a cache it can do without."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def _enable_dispatcher_caching(modules) -> int:
    """Turn on numba's file cache for every not-yet-caching dispatcher in ``modules``."""
    try:
        from numba.core.caching import NullCache
        from numba.core.dispatcher import Dispatcher
    except ImportError:  # a numba without these internals: just compile every time
        return 0
    enabled = 0
    for module in modules:
        for obj in list(vars(module).values()):
            if isinstance(obj, Dispatcher) and isinstance(getattr(obj, "_cache", None), NullCache):
                try:
                    obj.enable_caching()
                    enabled += 1
                except Exception as exc:  # e.g. a function numba cannot locate on disk
                    log.debug("no numba cache for %s: %s", obj, exc)
    return enabled


def _epoch_hook(iterable, *args, **kwargs):
    """Stand-in for ``umap.layouts.tqdm``: reports epochs to this thread's hook, if any."""
    hook = getattr(EPOCH_HOOK, "hook", None)
    if hook is None:
        return _original_tqdm(iterable, *args, **kwargs)
    return hook(iterable)


_original_tqdm = None


def import_umap():
    """Import umap with numba caching on for all its compiled functions (once per process)."""
    global _umap_ready, _original_tqdm
    with _umap_lock:
        import umap
        import umap.layouts
        import umap.umap_

        if not _umap_ready:
            import umap.distances
            import umap.spectral
            import umap.utils

            _enable_dispatcher_caching([umap.umap_, umap.layouts, umap.utils, umap.spectral,
                                        umap.distances])
            if umap.layouts.tqdm is not _epoch_hook:
                _original_tqdm = umap.layouts.tqdm
                umap.layouts.tqdm = _epoch_hook
            warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", module="umap")
            _umap_ready = True
        return umap
