"""What the queue says when the drive of a queued track does not answer.

When a queued track fails, the queue looks whether its whole music folder is gone
(:func:`~musicsage.controllers.queue_folders.gone_folder`, one bounded look). No answer is not
"gone" at once: the track is skipped, as any file that fails to play is — but its line then
only repeated the player's error ("the file is damaged"), when the likelier cause, and what to
check, is the drive: a network share away or slow. :func:`drive_silent_note` says so.

When the drive stays silent (the next failed track of that folder finds the look still
unanswered), the queue stops: then "cannot be found (a drive not mounted?)" would send the user
to a drive that is mounted, whose server is away. :func:`queue_stop_text` and
:func:`row_refusal_text` say the folder does not answer while a look at it still hangs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.bounded_look import still_looking
from musicsage.controllers.queue_folders import (FOLDER_LOOK, folder_gone_row_text,
                                                 folder_gone_text, track_folder)

if TYPE_CHECKING:
    from musicsage.controllers.queue import QueueController

DRIVE_SILENT = "; the drive does not answer (a network share?)"

SILENT = "does not answer (a network share away?)"
"""What is said of a music folder whose look has had no answer."""


def drive_silent_note(queue: "QueueController") -> str:
    """:data:`DRIVE_SILENT` while the look at the queue's current track's folder, taken as it
    failed, still has no answer; else "" (a track not from the queue: nothing was looked at)."""
    if not (queue.active and 0 <= queue.current < len(queue.tracks)):
        return ""
    folder = track_folder(queue.app.library.snapshot, queue.tracks[queue.current])
    return DRIVE_SILENT if folder is not None and still_looking(FOLDER_LOOK, folder) else ""


def queue_stop_text(folder: str) -> str:
    """The one line said when the queue stops on a music folder gone, or silent."""
    if not still_looking(FOLDER_LOOK, folder):
        return folder_gone_text(folder)
    return (f"Music folder {folder} {SILENT}: the queue stopped; it is kept — play from it "
            "once the folder answers again.")


def row_refusal_text(title: str, folder: str) -> str:
    """The one line said when the user chooses a queued track in a music folder found gone,
    or silent (never that the queue stopped: it may play on from another folder)."""
    if not still_looking(FOLDER_LOOK, folder):
        return folder_gone_row_text(title, folder)
    return f"Cannot play '{title}': music folder {folder} {SILENT}; play it once it answers."
