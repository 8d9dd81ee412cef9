"""A restart chooses the playlist chosen at the last close and opens the training dock if it
was open (it forgot both: the library panel came back with nothing chosen, the dock closed).
The playlist is keyed by its stored path: its id survives a rescan, but a removed playlist's
id may be given to the next one imported. The dock comes back only with a model to show.

Unit-level: :func:`restore_session` and :func:`save_session` on a stand-in window (the
playlists' real list, a tab widget); the whole window's restart is in
``test_restart_and_focus_ring.py``."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTabWidget, QWidget

from musicsage.controllers.tasks import Event
from musicsage.gui.explore_wiring import TABS
from musicsage.gui.playlist_list import PlaylistList
from musicsage.gui.window_settings import (Session, restore_session, save_session,
                                           saved_session)
from musicsage.library.browse import PlaylistInfo
from musicsage.usecases.snapshot import LibrarySnapshot

LIBRARY = "/music/library"


def _playlist(pid: int, path: str, name: str) -> PlaylistInfo:
    return PlaylistInfo(id=pid, path=path, name=name, format="m3u", entries=2, resolved=2,
                        unresolved=0)


def _snapshot(playlists, *, model: bool = False, tracks=(1, 2, 3)) -> LibrarySnapshot:
    return LibrarySnapshot(stats=SimpleNamespace(graph_model={"id": 1} if model else None),
                           tracks=[SimpleNamespace(id=t) for t in tracks],
                           playlists=list(playlists), memberships=[], audio_model=None,
                           graph_model=None)


def _window(qtbot, tmp_path: Path, *, library: str = LIBRARY, persist: bool = True):
    """What restore_session and save_session touch of a MainWindow; choosing a playlist turns
    the lists to Suggestions, as explore_wiring does."""
    right = QTabWidget()
    qtbot.addWidget(right)
    for name in sorted(TABS, key=TABS.get):
        right.addTab(QWidget(), name)
    box = PlaylistList()
    qtbot.addWidget(box)
    chosen, dock_shown = [], []
    box.chosen.connect(chosen.append)
    box.chosen.connect(lambda pid: pid is not None and right.setCurrentIndex(TABS["suggestions"]))
    selection = SimpleNamespace(selected=None)
    selection.select = lambda tid, play=True: setattr(selection, "selected", tid)
    app = SimpleNamespace(ctx=SimpleNamespace(data_dir=Path(library)), selection=selection,
                          library=SimpleNamespace(loaded=Event(), snapshot=None))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return SimpleNamespace(
        persist_settings=persist, settings=settings, right=right, app=app,
        library=SimpleNamespace(playlists=box.list, current_playlist=box.current_playlist,
                                box=box),
        training=SimpleNamespace(isVisible=lambda: bool(dock_shown)),
        show_training_dock=lambda: dock_shown.append(True), chosen=chosen, dock=dock_shown)


def _load(w, snap) -> None:
    """The library read: the panel lists its playlists (connected first, as in the window),
    then the session's restore."""
    w.app.library.snapshot = snap
    w.library.box.show_playlists([(p.id, p.name, 2) for p in snap.playlists])
    w.app.library.loaded.emit(snap)


MIX, RUN = _playlist(4, "/lists/mix.m3u", "Mix"), _playlist(7, "/lists/run.m3u", "Run")


def test_the_playlist_and_the_dock_are_saved_and_chosen_again_on_the_next_start(
        qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    _load(w, _snapshot([MIX, RUN], model=True))
    w.library.playlists.setCurrentItem(w.library.playlists.item(1))  # Run (in name order)
    w.app.selection.selected = 2
    w.show_training_dock()
    save_session(w)
    assert saved_session(w.settings, LIBRARY) == Session(LIBRARY, 2, "/lists/run.m3u", True)
    w2 = _window(qtbot, tmp_path)
    w2.settings.setValue("view/tab", "queue")
    restore_session(w2)
    assert w2.chosen == [] and w2.dock == [], "nothing before the library is read"
    # a rescan may give the playlists other ids: the path decides
    _load(w2, _snapshot([_playlist(11, "/lists/run.m3u", "Run"), MIX], model=True))
    assert w2.library.current_playlist() == 11 and w2.chosen == [11]
    assert w2.app.selection.selected == 2
    assert w2.right.currentIndex() == TABS["queue"], "the tab restored stays (choosing turned it)"
    assert w2.dock == [True]
    _load(w2, _snapshot([MIX], model=True))  # a later read restores nothing again
    assert w2.chosen == [11] and w2.dock == [True]


def test_nothing_chosen_nothing_open_saves_nothing_to_restore(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    w.settings.setValue("session/playlist", "/lists/old.m3u")
    _load(w, _snapshot([MIX]))
    save_session(w)
    assert saved_session(w.settings, LIBRARY) == Session(""), "the old playlist is forgotten"
    assert saved_session(w.settings, LIBRARY).empty


def test_a_window_closed_before_its_library_was_read_keeps_the_last_session(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    _load(w, _snapshot([MIX, RUN], model=True))
    w.library.playlists.setCurrentItem(w.library.playlists.item(1))
    w.app.selection.selected = 2
    w.show_training_dock()
    save_session(w)
    early = _window(qtbot, tmp_path)  # closed (or sent SIGTERM) before the first read
    save_session(early)
    assert saved_session(early.settings, LIBRARY) == Session(LIBRARY, 2, "/lists/run.m3u", True)


def test_a_playlist_gone_or_of_another_library_is_not_chosen(qtbot, tmp_path):
    for library, playlists in ((LIBRARY, [MIX]),  # Run removed since
                               ("/another/library", [MIX, RUN])):
        w = _window(qtbot, tmp_path, library=library)
        w.settings.setValue("session/library", LIBRARY)
        w.settings.setValue("session/playlist", RUN.path)
        w.settings.setValue("view/tab", "neighbours")
        restore_session(w)
        _load(w, _snapshot(playlists))
        assert w.library.current_playlist() is None and w.chosen == [], library
        assert w.right.currentIndex() == TABS["neighbours"]


def test_the_dock_opens_again_only_with_a_model_to_show(qtbot, tmp_path):
    """With no model the dock says only "press Retrain" over empty plots and an empty table:
    not worth a third of the window at every start."""
    for model, opened in ((False, []), (True, [True])):
        w = _window(qtbot, tmp_path, library="/another/library")  # the dock is not the library's
        w.settings.setValue("session/library", LIBRARY)
        w.settings.setValue("session/training_dock", True)
        restore_session(w)
        _load(w, _snapshot([MIX], model=model))
        assert w.dock == opened, model


def test_a_screenshot_run_restores_neither(qtbot, tmp_path):
    w = _window(qtbot, tmp_path, persist=False)
    w.settings.setValue("session/library", LIBRARY)
    w.settings.setValue("session/playlist", MIX.path)
    w.settings.setValue("session/training_dock", True)
    restore_session(w)
    _load(w, _snapshot([MIX], model=True))
    assert w.chosen == [] and w.dock == []


def test_odd_values_in_the_settings_file_restore_nothing_and_break_nothing(qtbot, tmp_path):
    """A settings file edited by hand or written by another version: a list where a path
    was, a word where a flag was, an unknown tab — nothing is chosen, no dock opens, no
    error, and the window keeps its usual tab."""
    for playlist, dock in ((["/lists/mix.m3u", "x"], "banana"), (42, "0"), ("", "")):
        w = _window(qtbot, tmp_path)
        w.settings.setValue("session/library", LIBRARY)
        w.settings.setValue("session/playlist", playlist)
        w.settings.setValue("session/training_dock", dock)
        w.settings.setValue("view/tab", "no such tab")
        restore_session(w)
        _load(w, _snapshot([MIX, RUN], model=True))
        assert w.library.current_playlist() is None and w.chosen == [], playlist
        assert w.dock == [], dock
        assert w.right.currentIndex() == TABS["neighbours"]
