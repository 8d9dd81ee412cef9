"""File › Remove missing tracks…: the tracks whose files are gone leave the library.

A deleted file stays in the library as a missing track (a file put back keeps its id and
vectors), and before this only removing its whole music folder cleared it. The window calls
the use case ``forget --missing`` calls (:func:`~musicsage.usecases.library.
forget_missing_tracks`), with no folder named: the missing tracks of a music folder that is
itself gone — a drive unplugged — are kept, and the status line says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.text import sentence
from musicsage.usecases.library import forget_missing_tracks, missing_to_remove

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.library import LibraryController
    from musicsage.controllers.tasks import Task
    from musicsage.library.forget import MissingReport


def missing_tracks(library: "LibraryController") -> int:
    """How many tracks of the library shown have no file, as its last snapshot counted them
    (0 while none is read): what the action's enabling and its question go by."""
    snap = library.snapshot
    return snap.stats.tracks.missing if snap is not None else 0


REMEDY = "File › Remove music folder removes them"
"""How the window removes a gone folder's missing tracks (the command line names it)."""


def planned(library: "LibraryController") -> "MissingReport":
    """What removing the missing tracks would do now, read as it is asked (the snapshot's
    count includes an unplugged drive's tracks, which are kept)."""
    return missing_to_remove(library.app.ctx)


def remove_missing(library: "LibraryController") -> "Task":
    """Remove the library's missing tracks (not those of a music folder that is gone); then
    show the library without them, the status line saying what was done."""
    app = library.app
    task = app.run("Removing missing tracks", forget_missing_tracks, app.ctx,
                   long="Removing missing tracks")
    return task.on_result(lambda report, ctx=app.ctx: _removed(library, report, ctx))


def _removed(library: "LibraryController", report: "MissingReport", ctx: "AppContext") -> None:
    """Said; of a library no longer shown, naming it (the one shown lost nothing)."""
    library.app.notify(sentence(report.summary(REMEDY)) + library.elsewhere(ctx))
    if library.shows(ctx) and report.tracks:
        library.reload()
