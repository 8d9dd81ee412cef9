"""Why the folder watch could not watch a folder, in one line (:mod:`musicsage.library.watch`).

Past the system's inotify limit the kernel refuses a new watch (ENOSPC: a watch per folder)
or a new inotify instance (EMFILE): the line names the sysctl that kernel limit is (raising
the other one changes nothing), its value now and a value to raise it to, and, for a folder
refused while the watch runs, how the user starts the watch again: watchdog never tries a
refused folder again."""

from __future__ import annotations

import errno

_INOTIFY_LIMITS = {errno.ENOSPC: ("max_user_watches", 524288),  # watches (one a folder)
                   errno.EMFILE: ("max_user_instances", 1024)}  # inotify instances
"""The sysctl each errno of the inotify limit names, and a value to raise it to: EMFILE is
the limit on instances, not on watches (raising the wrong one changes nothing)."""


def refused(exc: OSError, restart_advice: str) -> str:
    """Why a folder could not be watched, and, past the inotify limit, what to do: watchdog
    never tries it again, so the watch must start again (``restart_advice``: the caller's
    words for it) once the limit is raised."""
    if exc.errno in _INOTIFY_LIMITS:
        return f"{watch_error(exc)}, then {restart_advice}"
    return watch_error(exc)


def watch_error(exc: OSError) -> str:
    """``exc``, a refusal to watch, in one line: past the inotify limit, which limit and how
    to raise it; else the system's reason."""
    if exc.errno in _INOTIFY_LIMITS:
        name, raised = _INOTIFY_LIMITS[exc.errno]
        limit = _read_first_line(f"/proc/sys/fs/inotify/{name}")
        return ("cannot watch this many folders: the system's inotify limit is reached "
                f"(fs.inotify.{name} = {limit}); raise it, e.g. "
                f"`sudo sysctl fs.inotify.{name}={raised}`")
    return f"cannot watch the music folders: {exc.strerror or exc}"


def _read_first_line(path: str) -> str:
    """The first line of ``path`` (a sysctl's value), "unknown" where it cannot be read."""
    try:
        with open(path) as fh:
            return fh.readline().strip()
    except OSError:
        return "unknown"
