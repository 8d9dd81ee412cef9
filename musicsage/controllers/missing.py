"""File › Remove missing tracks…: the tracks whose files are gone leave the library.

A deleted file stays in the library as a missing track (a file put back keeps its id and
vectors), and before this only removing its whole music folder cleared it. The window calls
the use case ``forget --missing`` calls (:func:`~musicsage.usecases.library.
forget_missing_tracks`), with no folder named: the missing tracks of a music folder that is
itself gone — a drive unplugged — are kept, and the status line says so. It passes the check
its question named (``asked``): only those tracks go, not files gone missing while the user
read the question (the folder watch marks them), which are kept and said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from musicsage.text import counted, sentence
from musicsage.usecases.library import forget_missing_tracks, missing_to_remove

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.library import LibraryController
    from musicsage.controllers.tasks import Task
    from musicsage.library.missing_report import MissingReport


def missing_tracks(library: "LibraryController") -> int:
    """How many tracks of the library shown have no file, as its last snapshot counted them
    (0 while none is read): what the action's enabling and its question go by."""
    snap = library.snapshot
    return snap.stats.tracks.missing if snap is not None else 0


REMEDY = "File › Remove music folder removes them"
"""How the window removes a gone folder's missing tracks (the command line names it)."""

LINK_REMEDY = "delete the link to remove them"
"""How the window removes the missing tracks behind a link to a folder gone or empty (the
command line names the link: ``forget --missing LINK``)."""


def kept_on_drives(plan: "MissingReport") -> int:
    """The missing tracks ``plan`` keeps as a drive's not mounted: those of a music folder gone
    or empty (``kept``) and those behind a link to one (``linked``), said in one phrase."""
    return sum(n for _where, n in [*plan.kept, *plan.linked])


def kept_phrase(n: int) -> str:
    """The ``n`` tracks of :func:`kept_on_drives`, for the tooltip and the question alike: a
    link in a music folder is no music folder gone or empty, and a drive not mounted is a guess
    (the folder may have been deleted), asked, not said."""
    return (f"{counted(n, 'missing track')} kept: {'it is' if n == 1 else 'they are'} in a "
            "music folder that is gone or empty, or behind a link to one (a drive not mounted?)")


CHECKING = "Checking which files are gone"
"""The status line while the action's question waits for the check (every missing track's
file is looked at: on a slow or unplugged network drive that takes a while)."""


def check_missing(library: "LibraryController", then: Callable[["MissingReport"], None], *,
                  asked: bool = False) -> "Task":
    """What removing the missing tracks would do now (:func:`missing_to_remove`: the
    snapshot's count includes an unplugged drive's tracks, which are kept), read off the
    window's thread: it looks at the file of every missing track, and 30,000 of them on a
    network drive froze the window. ``then(plan)`` once known, unless another library is shown
    by then. ``asked``: the action was pressed, and the status line says it is checking (else
    a quiet check, for the action's tooltip). Cancel on the status line drops the question
    and stops the check before the next file (one look at a file cannot be interrupted)."""
    app, ctx = library.app, library.app.ctx
    task = app.run(CHECKING, missing_to_remove, ctx, key="missing ask" if asked else
                   "missing count", long=CHECKING if asked else None)

    def checked(plan: "MissingReport") -> None:
        if not task.token.cancelled and library.shows(ctx):
            then(plan)

    return task.on_result(checked)


def removable_note(plan: "MissingReport") -> str:
    """What the action would remove, for its tooltip: the count of the tracks it removes, and
    of those it keeps (an unplugged drive's; files back since the last scan) — the snapshot's
    count of missing tracks promised those too."""
    kept = kept_on_drives(plan)
    parts = [counted(plan.tracks, "missing track") if plan.tracks else "none to remove now"]
    if kept:
        parts.append(kept_phrase(kept))
    if plan.moved:
        parts.append(plan.moved_note())
    if plan.back:
        parts.append(f"{counted(plan.back, 'track')} there again kept")
    return "; ".join(parts)


SWITCHED = ("Nothing removed: another library is shown now; choose File › Remove missing "
            "tracks… again to be asked about its missing tracks")
"""Said when the question was answered after the window switched libraries (a later launch on
the user's own library reaches a window showing the demo): the tracks asked about are the
other library's, and their ids name other tracks here."""


def ask_then_remove_missing(library: "LibraryController",
                       confirm: Callable[["MissingReport"], bool]) -> "Task":
    """File › Remove missing tracks…: check the files off the window's thread
    (:func:`check_missing`), then ``confirm(plan)`` — the window's question, naming what the
    check found — and remove only what it named, of the library checked (:func:`remove_missing`).
    When nothing would change, that is said instead of asking."""
    ctx = library.app.ctx

    def checked(plan: "MissingReport") -> None:
        if not plan.tracks and not plan.moved:
            library.app.notify(sentence(plan.summary(REMEDY, LINK_REMEDY)))
        elif confirm(plan):
            remove_missing(library, plan, ctx)

    return check_missing(library, checked, asked=True)


def remove_missing(library: "LibraryController", asked: "MissingReport | None" = None,
                   ctx: "AppContext | None" = None) -> "Task | None":
    """Remove the library's missing tracks (not those of a music folder that is gone; those
    with one copy in the library take its place instead); then show the library without
    them, the status line saying what was done. ``asked``: the check (:func:`check_missing`)
    whose question the user confirmed — only its tracks still missing go: a file that went
    missing while the question was open (a drive unplugged, the folder watch marking it) was
    removed unasked. None: every missing track now, as ``forget --missing``. ``ctx``: the
    library ``asked`` checked, required with it: when another is shown now, its ids name other
    tracks, so nothing is removed and :data:`SWITCHED` is said (None returned)."""
    if asked is not None:
        if ctx is None:
            raise TypeError("remove_missing: asked needs the ctx of the library it checked")
        if not library.shows(ctx):
            library.app.notify(SWITCHED, "warning")
            return None
    app = library.app
    task = app.run("Removing missing tracks", forget_missing_tracks, app.ctx, asked=asked,
                   long="Removing missing tracks")
    return task.on_result(lambda report, ctx=app.ctx: _removed(library, report, ctx))


def _removed(library: "LibraryController", report: "MissingReport", ctx: "AppContext") -> None:
    """Said; of a library no longer shown, naming it (the one shown lost nothing)."""
    library.app.notify(sentence(report.summary(REMEDY, LINK_REMEDY)) + library.elsewhere(ctx))
    if library.shows(ctx) and (report.tracks or report.moved):
        library.reload(then=library.app.selection.refresh_neighbours)  # lists lose them too
