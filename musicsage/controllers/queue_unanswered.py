"""What a queued track's failure adds when its drive did not answer.

When a queued track fails, the queue looks whether its whole music folder is gone
(:func:`~musicsage.controllers.queue_folders.gone_folder`, one bounded look). No answer is not
"gone": the track is skipped, as any file that fails to play is — but its line then only
repeated the player's error ("the file is damaged"), when the likelier cause, and what to
check, is the drive: a network share away or slow. :func:`drive_silent_note` says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.bounded_look import still_looking

if TYPE_CHECKING:
    from musicsage.controllers.queue import QueueController

FAILED_FILE_LOOK = "failed file"
"""The kind of look :func:`~musicsage.controllers.queue_folders.gone_folder` takes at a
failed track's file (and its folder)."""

DRIVE_SILENT = "; the drive does not answer (a network share?)"


def drive_silent_note(queue: "QueueController") -> str:
    """:data:`DRIVE_SILENT` while the look at the queue's current track's file, taken as it
    failed, still has no answer; else "" (a track not from the queue: nothing was looked at)."""
    if not (queue.active and 0 <= queue.current < len(queue.tracks)):
        return ""
    snapshot = queue.app.library.snapshot
    info = snapshot.by_id.get(queue.tracks[queue.current]) if snapshot else None
    if info is None or not info.has_file:
        return ""
    return DRIVE_SILENT if still_looking(FAILED_FILE_LOOK, info.fs_path) else ""
