"""The Playlist tab of a playlist musicsage never writes (imported from a dataset dir, or a
player's): why "Remove from playlist" is off was the line under the list, in lower case
("playlist 'Mix' came from …"), and gave way to the current row's "Why: …" at the first
click. It is now a sentence under the button that stays while a row is current, as the
Suggestions tab says why Add is off; a playlist file shows no such note."""

from __future__ import annotations

import csv

from PySide6.QtCore import QModelIndex

from musicsage.context import AppContext
from musicsage.gui.playlist_panel import LEGEND, REMOVE_TIP, PlaylistPanel
from musicsage.usecases.library import export_dataset, import_dataset, list_playlists


def _app(ctx):
    """The window's controllers on ``ctx``, run inline."""
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner

    runner = InlineRunner()
    app = AppController(ctx, runner)
    runner.error.connect(app.task_failed)
    app.library.reload()
    runner.drain()
    return app, runner


def _shown(qtbot, ctx, name: str) -> PlaylistPanel:
    """The tab showing playlist ``name`` of ``ctx``, wired as the window wires it."""
    app, runner = _app(ctx)
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    app.playlist_tracks.shown.connect(panel.show_tracks)
    snap = app.library.snapshot
    app.playlist_tracks.show(next(p.id for p in snap.playlists if snap.playlist_name(p) == name))
    runner.drain()
    assert panel.list.track_ids()
    return panel


def _without_files(tracks_csv) -> None:
    """The dataset's tracks without their audio files, as a dataset such as Spotify's has."""
    with open(tracks_csv, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    gone = {rows[0].index(n) for n in ("path", "content_hash") if n in rows[0]}
    with open(tracks_csv, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([c for i, c in enumerate(r) if i not in gone] for r in rows)


def test_why_remove_is_off_is_a_sentence_that_stays_while_a_row_is_current(qtbot, library,
                                                                           tmp_path):
    name = list_playlists(library)[0].name
    export_dataset(library, tmp_path / "ds")
    _without_files(tmp_path / "ds" / "tracks.csv")
    imported = AppContext.create(tmp_path / "imported")
    import_dataset(imported, tmp_path / "ds")
    panel = _shown(qtbot, imported, name)
    lst = panel.list

    lst.setCurrentIndex(lst.rows_model.index(0, 0))

    assert panel.legend.text().startswith("Why: "), "the row's own reason (no audio file)"
    assert not panel.remove_button.isEnabled()
    assert not panel.remove_note.isHidden()
    assert panel.remove_note.text().startswith(f"Playlist {name!r} came from a dataset dir "
                                               "and has no file of its own")
    assert panel.remove_note.text() == panel.remove_button.toolTip()
    lst.setCurrentIndex(QModelIndex())
    assert "Remove from playlist" not in panel.legend.text()  # no advice to press what is off


def test_a_playlist_file_shows_no_note(qtbot, library):
    panel = _shown(qtbot, library, list_playlists(library)[0].name)

    assert panel.remove_note.isHidden()
    assert panel.remove_button.toolTip() == REMOVE_TIP
    assert panel.legend.text() == LEGEND
