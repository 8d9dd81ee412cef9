"""The selection controller's events shown in the window: the selected track on the map, in
the track box and in the Neighbours panel (moved out of :mod:`~musicsage.gui.window_wiring`,
which had no room left for the heading's names)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.controllers.selection import SelectionController
    from musicsage.gui.main_window import MainWindow
    from musicsage.library.browse import TrackInfo


def connect_selection(w: "MainWindow") -> None:
    s = w.app.selection

    def changed(track_id: int, info, center: bool) -> None:
        w.map.set_selection(track_id)
        if center:
            w.map.center_on(track_id)
        w.library.show_track(info, tags_text="…")
        w.neighbours.show_loading(*heading_names(s, track_id, info))

    def neighbours(result) -> None:
        w.neighbours.show_result(result, s.empty_notes(result))
        w.show_selection_on_map()
        w.neighbours_loaded.emit(result)

    def deselected() -> None:
        w.show_selection_on_map()  # no point, no neighbours, no lines to them
        w.library.show_track(None)
        w.neighbours.clear()

    def failed(track_id: int) -> None:
        w.neighbours.show_failed(track_id, *heading_names(s, track_id, s.info))

    s.changed.connect(changed)
    s.details.connect(lambda info: w.library.show_track(info, tags_text="…"))
    s.deselected.connect(deselected)
    s.neighbours_loaded.connect(neighbours)
    s.neighbours_failed.connect(failed)
    s.notes_changed.connect(w.neighbours.show_notes)
    s.tags.connect(w.library.show_tags)
    s.play.connect(w.player.play_track)


def heading_names(s: "SelectionController", track_id: int,
                  info: "TrackInfo | None") -> tuple[str, str | None]:
    """The title and artist of ``track_id`` for the Neighbours heading, from its details
    ``info``, else its label as one piece: the label, "Title — Artist" already joined, was
    split back at its first " — ", and a title holding one was cut there, its halves swapped
    or the artist drawn inside it until the lists came."""
    if info is not None and info.id == int(track_id):
        return info.display_title, info.artist
    return s.label(track_id), None
