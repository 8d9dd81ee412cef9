"""What Open demo library reads before it switches: whether the demo is ready, or why a build
would be refused.

The read stats every file the demo's manifest lists and reads each one's first 4 bytes and
last 4 KiB (:func:`~musicsage.demo.guards.music_unsound`), reads the state file and the
manifest, and asks the library one query: about 480 opens and 300 stats for the 240 tracks
of the default demo. On the window's thread that froze the window for 4 s where each one
takes 5 ms (a network home, a USB stick), and longer for a larger demo; so the window runs
:func:`look_at_demo` on a worker and goes on from its answer
(:meth:`musicsage.controllers.demo.DemoController.open`). The demo's library folder is made
there too (:meth:`~musicsage.context.AppContext.create`: about 40 stats and a lock probe, and
on a first open its folders): on a network home gone stale one stat hangs for the mount's
timeout, and the click froze the window for it before the read began.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from musicsage.errors import MusicsageError
from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext

CHECKED_OPTIONS = ("n_tracks", "seed", "seconds", "music_dir", "until")
"""The build's keywords that :func:`~musicsage.usecases.demo.check_demo` checks."""


@dataclass(frozen=True)
class DemoLook:
    """What the read found: the demo ``ready`` to be shown as it is, or a ``refusal`` (why a
    build of it would be refused, in the build's words), or neither (a build to start or
    resume). ``ctx``: the demo's library as the read made it (None: it could not be made,
    the ``refusal`` says why); what the window switches to and builds into."""

    ready: bool = False
    refusal: str | None = None
    ctx: "AppContext | None" = None


@runs(Mode.LOOKUP, progress=False, cancel=False)
def look_at_demo(ctx: "AppContext | Callable[[], AppContext]",
                 options: dict | None = None) -> DemoLook:
    """Whether the demo in the library at ``ctx`` (or the one ``ctx()`` makes, here on the
    worker: a few dozen stats, a lock probe) is ready, or why a build with ``options``
    (:func:`~musicsage.usecases.demo.build_demo`'s keywords) would be refused: a folder that
    cannot be made or read, music that cannot be read, a build refused (:func:`check_demo`).
    A light worker's read: a quick one on a good disk, never queued behind a long task."""
    from musicsage.usecases.demo import check_demo, demo_status

    options = options or {}
    try:
        made = ctx() if callable(ctx) else ctx  # its folder refused: a link to nowhere
    except (OSError, MusicsageError) as exc:
        return DemoLook(refusal=str(exc))
    try:
        if demo_status(made).state == "ready":
            return DemoLook(ready=True, ctx=made)
        check_demo(made, **{k: options[k] for k in CHECKED_OPTIONS if k in options})
    except (OSError, MusicsageError) as exc:  # a full disk, a read-only home, a file where
        # a folder should be, its music unreadable, a build refused
        return DemoLook(refusal=str(exc), ctx=made)
    return DemoLook(ctx=made)
