"""Suggestions for a playlist that has no file of its own (imported from a dataset dir, or a
player's): "Add to playlist" was on, and pressing it popped up an error box ("came from a
dataset dir and has no file of its own …"), where the Playlist tab's Remove is off
beforehand, its tooltip saying why. The Add button is now off for such a playlist, its
tooltip and a note under the button saying why (the note only while there are rows to add,
and keeping its place while the next playlist's lists load); a playlist file keeps it."""

from __future__ import annotations

import dataclasses

from musicsage.context import AppContext
from musicsage.gui.suggestions_panel import SuggestionsPanel
from musicsage.usecases.library import export_dataset, import_dataset


def _app(ctx):
    """The window's controllers on ``ctx``, failures routed as the window routes them."""
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner

    runner = InlineRunner()
    app = AppController(ctx, runner)
    runner.error.connect(app.task_failed)
    app.library.reload()
    runner.drain()
    return app, runner


def _shown(qtbot, app, runner, name: str) -> SuggestionsPanel:
    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    app.suggestions.loaded.connect(lambda r: panel.show_result(r, app.suggestions.notes(r)))
    snap = app.library.snapshot
    app.suggestions.show(next(p.id for p in snap.playlists if snap.playlist_name(p) == name))
    runner.drain()
    assert panel.result is not None and (panel.result.graph or panel.result.audio)
    (panel.audio_list if panel.result.audio else panel.graph_list).topLevelItem(0).setSelected(True)
    return panel


def test_add_is_off_for_a_dataset_playlist_and_says_why(qtbot, library, tmp_path):
    from musicsage.usecases.library import list_playlists

    name = list_playlists(library)[0].name
    export_dataset(library, tmp_path / "ds")
    imported = AppContext.create(tmp_path / "imported")
    import_dataset(imported, tmp_path / "ds")
    app, runner = _app(imported)

    panel = _shown(qtbot, app, runner, name)
    panel.add_requested.connect(app.suggestions.add)  # as the window wires it

    assert not panel.add_button.isEnabled()
    assert "has no file of its own" in panel.add_button.toolTip()
    panel.add_button.click()
    runner.drain()
    assert [text for level, text in app.notifications if level == "error"] == []


def test_why_add_is_off_is_a_sentence_that_stays_while_a_row_is_current(qtbot, library,
                                                                        tmp_path):
    """The reason read "◆ in both lists · playlist 'Mix' came from …" under the lists, in
    lower case mid-line, and gave way to the current row's "Why: …" at the first click."""
    from musicsage.usecases.library import list_playlists

    name = list_playlists(library)[0].name
    export_dataset(library, tmp_path / "ds")
    imported = AppContext.create(tmp_path / "imported")
    import_dataset(imported, tmp_path / "ds")
    app, runner = _app(imported)
    panel = _shown(qtbot, app, runner, name)
    lst = panel.audio_list if panel.result.audio else panel.graph_list

    lst.setCurrentItem(lst.topLevelItem(0))

    assert panel.legend.text().startswith("Why: ")
    assert not panel.add_note.isHidden()
    assert panel.add_note.text().startswith(f"Playlist {name!r} came from a dataset dir and "
                                            "has no file of its own")
    assert panel.add_note.text() == panel.add_button.toolTip()
    lst.setCurrentItem(None)
    assert "Add to playlist" not in panel.legend.text()  # no advice to press what is off


def test_add_stays_on_for_a_playlist_file(qtbot, library):
    from musicsage.usecases.library import list_playlists

    app, runner = _app(library)

    panel = _shown(qtbot, app, runner, list_playlists(library)[0].name)

    assert panel.add_button.isEnabled()
    assert "no file" not in panel.add_button.toolTip()
    assert panel.add_note.isHidden()


def _imported(library, tmp_path):
    """The window's controllers on a library imported from ``library``'s export (its
    playlists have no file of their own), and two of their names."""
    from musicsage.usecases.library import list_playlists

    names = [p.name for p in list_playlists(library)[:2]]
    export_dataset(library, tmp_path / "ds")
    imported = AppContext.create(tmp_path / "imported")
    import_dataset(imported, tmp_path / "ds")
    return (*_app(imported), names)


def _choose(app, runner, name: str) -> None:
    snap = app.library.snapshot
    app.suggestions.show(next(p.id for p in snap.playlists if snap.playlist_name(p) == name))
    runner.drain()


def test_the_lists_stay_put_moving_between_two_playlists_without_a_file(qtbot, library,
                                                                       tmp_path):
    """The note was hidden while the next lists loaded and shown again with them: the lists
    jumped up and back down at each playlist chosen."""
    app, runner, (first, second) = _imported(library, tmp_path)
    panel = _shown(qtbot, app, runner, first)
    app.suggestions.loading.connect(panel.show_loading)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)

    def lists_top() -> int:
        """The lists' top below the Add button's (the heading above has its own lines)."""
        qtbot.wait(10)
        return (panel.graph_list.mapTo(panel, panel.graph_list.rect().topLeft()).y()
                - panel.add_button.mapTo(panel, panel.add_button.rect().topLeft()).y())

    top = lists_top()
    panel.show_loading(second)
    assert lists_top() == top
    assert first not in panel.add_note.text()  # it named the playlist no longer shown
    _choose(app, runner, second)
    assert lists_top() == top
    assert panel.add_note.text().startswith(f"Playlist {second!r} came from a dataset dir")


def test_no_note_when_there_is_nothing_to_add(qtbot, library, tmp_path):
    """Both lists empty, the note spoke of adding rows there were none of; the Playlist tab
    hides its Remove note when it has no rows."""
    app, runner, (first, _second) = _imported(library, tmp_path)
    panel = _shown(qtbot, app, runner, first)
    empty = dataclasses.replace(panel.result, graph=[], audio=[])

    panel.show_result(empty, app.suggestions.notes(empty))

    assert panel.add_note.isHidden()
    assert "has no file of its own" in panel.add_button.toolTip()
