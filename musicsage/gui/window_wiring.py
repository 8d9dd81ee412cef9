"""Connections between the main window's widgets and its controllers, both ways.

Widget signals become controller calls; controller events become widget updates; a few menus
mirror a control or a controller (View ▸ Map and Colour by, Analyse ▸ Graph model).
Nothing here decides anything: the controllers (:mod:`musicsage.controllers`) do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QComboBox, QMenu

from musicsage.controllers.evaluation import model_line
from musicsage.controllers.library import audio_summary
from musicsage.controllers.models import model_tip, unusable_word
from musicsage.controllers.queue import QueueLabels
from musicsage.gui.focus_ring import frame_lists, ring_controls
from musicsage.gui.library_enabling import enable_library_actions
from musicsage.gui.plain import tips_shown
from musicsage.gui.selection_wiring import connect_selection
from musicsage.gui.track_list import TrackList
from musicsage.gui.track_view import TrackView
from musicsage.gui.training_dock import CANCELLING
from musicsage.text import counted, printable

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow
    from musicsage.usecases.snapshot import LibrarySnapshot


enable_runs = enable_library_actions
"""Its name in :mod:`~musicsage.gui.window_actions` (another audio model chosen)."""


def menu_text(text: str) -> str:
    """``text`` (a folder's path, a model's name) as a menu entry shows it whole: a lone "&"
    is a mnemonic mark, so "Drum & Bass" showed "Drum  Bass" with B underlined, and a key
    press of B in the menu chose it."""
    return text.replace("&", "&&")


def connect_controllers(w: "MainWindow") -> None:
    _connect_panels(w)
    w.list_frames, w.control_rings = frame_lists(w), ring_controls(w)  # where Tab went
    _connect_library(w)
    _connect_map(w)
    connect_selection(w)
    _connect_training(w)
    _connect_demo(w)
    _connect_status(w)
    _connect_watch(w)


def _connect_panels(w: "MainWindow") -> None:
    """What the user does in the panels."""
    app = w.app
    w.map.track_clicked.connect(lambda tid: app.selection.select(tid))
    _connect_select(w)
    _tab_keys(w)
    w.neighbours.play_requested.connect(app.selection.play_track)
    w.player.play_refused.connect(app.queue.play_pause_refused)  # Space with no sound card
    w.neighbours.retrain_requested.connect(app.training.start)
    w.neighbours.embed_requested.connect(w.actions_.embed.trigger)  # on together (RUNS)
    w.neighbours.k_changed.connect(lambda k: (setattr(app.selection, "k", k),
                                              app.selection.refresh_neighbours()))
    w.neighbours.save_requested.connect(w.ask_save_playlist)
    w.library.search_changed.connect(app.library.search)
    w.library.track_chosen.connect(lambda tid: app.selection.select(tid, center=True))
    w.welcome.add_folder_requested.connect(w.ask_add_folder)
    w.welcome.demo_requested.connect(app.demo.open)
    w.welcome.cancel_requested.connect(app.tasks.cancel)
    w.welcome.retry_requested.connect(app.library.reload)
    w.training.panel.cancel_requested.connect(lambda: app.training.cancel())  # its run's
    w.space_combo.currentIndexChanged.connect(lambda _i: _choose_space(w))
    w.colour_combo.currentIndexChanged.connect(lambda _i: _colour_by(w))
    w.actions_.play_on_select.toggled.connect(
        lambda on: setattr(app.selection, "play_on_select", on))
    app.notified.connect(w.show_notification)
    shown = [app.ctx]  # the library on screen, until the next switch
    w.status_queue.library = str(app.ctx.data_dir)  # the status line's lines are of it

    def switched(ctx) -> None:
        old, shown[0] = shown[0], ctx
        _context_changed(w, ctx)
        _lines_of_library_left(w, old, ctx)

    app.context_changed.connect(switched)


def _connect_select(w: "MainWindow") -> None:
    """Ctrl+Enter or a row's "Select" in any list of tracks (neighbours, suggestions, the
    Playlist tab, the queue, the library's search list) selects its track as a click on its
    point does, centred on the map: from the keyboard, Enter only played a row, and only the
    search box could pick one."""
    app = w.app
    # TrackView is not a TrackList subclass; the search list has the track lists' menu
    for lst in (*w.findChildren(TrackList), *w.findChildren(TrackView), w.library.results):
        lst.select_requested.connect(lambda tid: app.selection.select(tid, center=True))
    w.queue.select_requested.connect(lambda row: app.selection.select(
        app.queue.tracks[row], center=True) if 0 <= row < len(app.queue.tracks) else None)


TAB_KEYS = (("Ctrl+Tab", 1, "Next tab: Neighbours, Suggestions, Playlist, Queue"),
            ("Ctrl+Shift+Tab", -1, "Previous tab: Queue, Playlist, Suggestions, Neighbours"))


def _tab_keys(w: "MainWindow") -> None:
    """Ctrl+Tab / Ctrl+Shift+Tab turn the right panel's tabs from anywhere in the window: the
    tab widget's own keys worked only with the focus inside it, not from the search box or
    the map, though the shortcuts list gave them as the lists' and fields' keys (no field
    here uses Ctrl+Tab). With the focus in the page turned away, it goes to the tab bar."""
    tabs = w.right

    def turn(step: int) -> None:
        inside = tabs.isAncestorOf(QApplication.focusWidget())
        shown = [i for i in range(tabs.count()) if tabs.isTabEnabled(i) and tabs.isTabVisible(i)]
        if len(shown) > 1 and tabs.isVisible():  # not under the welcome page
            at = shown.index(tabs.currentIndex()) if tabs.currentIndex() in shown else 0
            tabs.setCurrentIndex(shown[(at + step) % len(shown)])
            if inside:
                tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)

    for keys, step, what in TAB_KEYS:
        key = QShortcut(QKeySequence(keys), w)
        key.setWhatsThis(what)  # the shortcuts list names it so
        key.activated.connect(lambda step=step: turn(step))


def _choose_space(w: "MainWindow") -> None:
    """The map of the space chosen; the chooser then says what the map shows (audio only,
    while there is no graph model to show: it said "Graph model" over the audio map)."""
    combo = w.space_combo
    w.app.map.choose_space(combo.currentData())
    _show_space(combo, w.app.map.shown_space)


def _show_space(combo, space: str) -> None:
    """Set the Map chooser to ``space`` without it counting as the user's choice."""
    combo.blockSignals(True)
    combo.setCurrentIndex(combo.findData(space))
    combo.blockSignals(False)


def _colour_by(w: "MainWindow") -> None:
    w.app.map.colour_by = w.colour_combo.currentData()
    w.apply_colouring()


def _context_changed(w: "MainWindow", ctx) -> None:
    """Another library is read: its map is emptied by ``app.map.cleared`` (before this)."""
    w.map.set_message("Loading the library…")
    w.neighbours.clear()
    w.library.show_track(None)
    w.setWindowTitle(f"musicsage — {printable(ctx.data_dir)}")
    w.stack.setCurrentWidget(w.opening)  # not the welcome page's "Add your music folder…"
    enable_library_actions(w)  # off while the library switched to is read


def _lines_of_library_left(w: "MainWindow", old, ctx) -> None:
    """The status line's lines of the library ``old``, just left, name it
    (:meth:`~musicsage.controllers.status_queue.StatusQueue.switched`), on the bar for at
    least a warning's reading time."""
    note = w.app.library.elsewhere(old)
    on_bar = w.statusBar().currentMessage()
    line = w.status_queue.switched(str(ctx.data_dir), note, on_bar)
    if line and line != on_bar:
        w.statusBar().showMessage(printable(line), int(w.status_queue.read_seconds * 1000))


def _connect_library(w: "MainWindow") -> None:
    w.app.library.loaded.connect(lambda snap: _show_snapshot(w, snap))
    w.app.library.load_failed.connect(lambda message: _show_unreadable(w, message))
    w.app.library.search_results.connect(w.library.show_search_results)
    w.app.library.audio_changed.connect(lambda: _show_summary(w))
    w.app.library.audio_changed.connect(lambda: enable_library_actions(w))  # a run, or its end


def _show_summary(w: "MainWindow") -> None:
    """The library summary of the snapshot shown, with the embedding run if one goes."""
    snap = w.app.library.snapshot
    if snap is None:
        return
    tracks = snap.stats.tracks
    audio_model, audio_note = audio_summary(snap, w.app.library.embed_run)
    w.library.show_summary(tracks=tracks.total, missing=tracks.missing,
                           playlists=len(snap.playlists), audio_model=audio_model,
                           audio_count=snap.embedded, graph_model=snap.graph_label,
                           graph_notes=snap.graph_notes, graph_learned_nothing=snap.graph_learned_nothing,
                           graph_unusable=bool(w.app.map.graph_problem),
                           audio_note=audio_note)


def _show_unreadable(w: "MainWindow", message: str) -> None:
    """No library to show: the first-launch page says why instead of inviting music in."""
    w.map.set_message("")
    w.welcome.show_problem(message)
    w.stack.setCurrentWidget(w.welcome)
    enable_library_actions(w)


def _show_snapshot(w: "MainWindow", snap: "LibrarySnapshot") -> None:
    _show_summary(w)
    sizes = snap.playlist_sizes()
    w.library.show_playlists([(p.id, snap.shown_name(p), sizes.get(p.id, 0))
                              for p in snap.playlists])
    has_graph = w.app.map.has_graph
    combo = w.space_combo
    combo.model().item(0).setEnabled(has_graph)
    why_not = ("The graph model is unusable: press Retrain" if w.app.map.graph_problem
               else "No graph model yet: press Retrain")
    combo.setItemData(0, None if has_graph else why_not, Qt.ItemDataRole.ToolTipRole)
    _show_space(combo, w.app.map.shown_space)
    w.welcome.clear_problem()
    arriving = w.stack.currentWidget() is not w.main_page and not snap.empty
    pages = {"opening": w.opening, "welcome": w.welcome, "library": w.main_page}
    w.stack.setCurrentWidget(pages[w.app.page])  # the welcome page for an empty one only
    if arriving:  # the first focus stop was the toolbar's: Space there started an analysis
        w.focus_search()
    enable_library_actions(w)
    w.snapshot_loaded.emit()


def _connect_map(w: "MainWindow") -> None:
    m = w.app.map
    m.message.connect(w.map.set_message)
    m.cleared.connect(lambda: w.map.set_points(np.zeros(0, np.int64),
                                               np.zeros((0, 2), np.float32), []))
    m.loaded.connect(lambda points, _space: _show_map(w, points))


def _show_map(w: "MainWindow", points) -> None:
    snap = w.app.library.snapshot
    ids = np.asarray(points.track_ids, np.int64)
    # each hover text made when a point is hovered: all 28,356 made here held the first draw
    titles = QueueLabels(ids.tolist(), snap.label)
    # the same map carried over keeps the user's view; a new one is shown whole
    w.map.set_points(ids, np.asarray(points.xy, np.float32), titles, w.colouring(ids),
                     fit=not w.app.map.keeps_view, present=points.present)
    if w.app.selection.selected is not None:
        w.show_selection_on_map()
    w.map_loaded.emit()


def _connect_training(w: "MainWindow") -> None:
    t, panel = w.app.training, w.training.panel
    described = [""]  # the model in use, in describe_model's words: the dock's line from it

    def started(text: str | None) -> None:
        w.show_training_dock()
        panel.start()
        panel.model_line.setText(model_line(described[0], training=True))
        if text:
            panel.status.setText(text)

    def model_shown(text: str, metrics: dict | None, curves) -> None:
        described[0] = text
        panel.show_model(model_line(text, training=t.trains_shown_library), metrics,
                         running=t.running, curves=curves, needs=t.needs)

    t.started.connect(started)
    t.progress.connect(panel.add_progress)
    t.finished.connect(lambda outcome, metrics, message, best: panel.finish(
        outcome, metrics, message, best_step=best))
    t.cancelling.connect(lambda: panel.status.setText(CANCELLING))
    t.raised.connect(w.training.show)
    t.running_changed.connect(lambda _on: enable_library_actions(w))
    t.done.connect(w.training_finished.emit)
    t.model_shown.connect(model_shown)


def _connect_demo(w: "MainWindow") -> None:
    d = w.app.demo

    def busy(text: str) -> None:
        w.welcome.show_busy(text)
        w.stack.setCurrentWidget(w.welcome)

    d.busy.connect(busy)
    d.busy.connect(lambda _text: enable_library_actions(w))
    d.progress.connect(w.welcome.show_progress)
    d.idle.connect(w.welcome.show_idle)
    d.idle.connect(lambda: enable_library_actions(w))
    d.reading.connect(w.welcome.show_reading)
    d.reading.connect(lambda _on: enable_library_actions(w))


def _connect_status(w: "MainWindow") -> None:
    """The status line follows the current long task."""
    line, tasks = w.status_line, w.app.tasks

    def shown(label: str) -> None:
        line.task.setText(label + "…")
        line.progress.setRange(0, 0)
        _show_status_progress(w)
        w.actions_.cancel.setEnabled(True)

    def progressed(text: str, done: int, total: int | None) -> None:
        line.task.setText(text)
        _show_status_progress(w)
        if total:
            line.progress.setRange(0, int(total))
            line.progress.setValue(int(min(done, total)))
        else:
            line.progress.setRange(0, 0)

    def hidden() -> None:
        line.task.setText("")
        line.progress.hide()
        line.cancel.hide()
        w.actions_.cancel.setEnabled(False)

    tasks.shown.connect(shown)
    tasks.progressed.connect(progressed)
    tasks.relabelled.connect(line.task.setText)
    tasks.relabelled.connect(lambda _text: _show_status_progress(w))
    tasks.hidden.connect(hidden)


def _show_status_progress(w: "MainWindow") -> None:
    """The status line's bar and Cancel, unless a panel on screen draws the task's own (the
    welcome page during the demo build, the training dock): one bar per task."""
    panels = {"welcome": w.welcome.busy_box, "training": w.training}
    drawn = any(panels[p].isVisible() for p in w.app.tasks.panels if p in panels)
    w.status_line.progress.setVisible(not drawn)
    w.status_line.cancel.setVisible(not drawn)


def _connect_watch(w: "MainWindow") -> None:
    """The folder watch's toggle (saved at once) and what it watches (its tooltip)."""
    from musicsage.gui.window_settings import save_watch_settings

    watch, action = w.app.watch, w.actions_.watch_folders

    def toggled(on: bool) -> None:
        watch.set_enabled(on)
        if w.persist_settings:
            save_watch_settings(w)

    def state() -> None:
        folders = watch.folders
        action.setToolTip("Watching: " + ", ".join(map(printable, folders)) if folders
                          else "Not watching any folder")
        if folders and w.persist_settings:
            save_watch_settings(w)

    action.toggled.connect(toggled)
    watch.state_changed.connect(state)


def choice_menu(parent: QMenu, title: str, combo: QComboBox) -> QMenu:
    """A submenu of ``combo``'s choices (View ▸ Map, Colour by) that ticks the one in
    use: an entry chosen is chosen in the combo, and a choice made in the combo — or set by
    the window without a signal (the space the map falls back to, the colouring it shows) —
    moves the tick, read again as the menus open. The menus ticked nothing before. An entry
    is off where the combo's is (the graph model's space with no graph model), with its tip."""
    menu = tips_shown(parent.addMenu(title))
    group = QActionGroup(menu)  # exclusive: one tick

    def sync() -> None:
        menu.menuAction().setEnabled(combo.isEnabled())
        for i, action in enumerate(group.actions()):
            item = combo.model().item(i) if hasattr(combo.model(), "item") else None
            action.setEnabled(item is None or item.isEnabled())
            action.setToolTip(combo.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
            action.setChecked(i == combo.currentIndex())

    def choose(i: int) -> None:
        combo.setCurrentIndex(i)
        sync()  # the combo may have gone back (a space the map cannot show)

    for i in range(combo.count()):
        action = group.addAction(menu.addAction(menu_text(combo.itemText(i))))
        action.setCheckable(True)
        action.triggered.connect(lambda _c=False, i=i: choose(i))
    combo.currentIndexChanged.connect(lambda _i: sync())
    for shown in (parent, menu):
        shown.aboutToShow.connect(sync)
    sync()
    return menu


def enable_graph_models(w: "MainWindow", menu: QMenu) -> None:
    """Graph model ▸ only with a model to choose, and not while one cannot be switched."""
    has_models = bool(w.app.models.models)
    menu.menuAction().setEnabled(has_models and w.app.models.can_switch)
    menu.menuAction().setToolTip("" if has_models else "No graph model yet: Retrain makes one "
                                 "from your playlists")


def fill_graph_models(w: "MainWindow", menu: QMenu) -> None:
    """One entry per graph model of the library (date, audio model, HR@10), the one in use
    checked; choosing another makes it current (the controller decides, and reloads)."""
    menu.clear()
    group = QActionGroup(menu)
    for model in reversed(w.app.models.models):  # newest first
        text = menu_text(f"Model {model.id} · {model.label()}")
        a = menu.addAction(text if model.usable else f"{text} — {unusable_word(model)}")
        a.setCheckable(True)
        a.setChecked(model.is_current)
        a.setEnabled(model.usable or model.is_current)
        a.setToolTip(model_tip(model))
        group.addAction(a)
        a.triggered.connect(lambda _c=False, m=model.id: w.app.models.use(m))
    if not w.app.models.models:
        menu.addAction("No graph model yet: press Retrain").setEnabled(False)
        return
    menu.addSeparator()
    older = len(w.app.models.removable)
    remove = menu.addAction("Remove older models…")
    remove.setEnabled(older > 0 and w.app.models.can_switch)
    remove.setToolTip(f"Delete the {counted(older, 'model')} not in use, after asking" if older
                      else "Only the model in use is left")
    remove.triggered.connect(lambda _c=False: _ask_remove_models(w))


def _ask_remove_models(w: "MainWindow") -> None:
    """Analyse ▸ Graph model ▸ Remove older models…: asked first (the question names every
    model that goes and the one that stays); the controller deletes them."""
    question = w.app.models.removal_question()
    if question is not None and w.confirm(question.title, question.text):
        w.app.models.remove(question.model_ids)
