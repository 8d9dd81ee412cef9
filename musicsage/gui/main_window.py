"""The main window: wires the panels to service calls run on workers.

Every piece of work goes through ``self.workers`` (a :class:`WorkerPool`): reading the library,
scanning, embedding, training, the map, neighbours, search and tags. Results come back on the
GUI thread and are handed to the panels, which only display. Failures go to :meth:`notify`,
the one notification place (status bar, plus a non-modal message box for errors).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QComboBox, QFileDialog, QLabel, QMainWindow, QMenu,
                               QMessageBox, QProgressBar, QSplitter, QStackedWidget, QStyle, QToolButton,
                               QVBoxLayout, QWidget)

from musicsage import services
from musicsage.context import AppContext
from musicsage.gui.colouring import categorical, multi_categorical
from musicsage.gui.icons import app_icon
from musicsage.gui.library_panel import LibraryPanel
from musicsage.gui.map_view import Colouring, MapView
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.player import PlayerBar
from musicsage.gui.snapshot import LibrarySnapshot, load_snapshot
from musicsage.gui.summaries import describe_embed, describe_scan, describe_training, value_of
from musicsage.gui.training_dock import TrainingDock
from musicsage.gui.welcome import WelcomeView
from musicsage.gui.workers import Job, WorkerPool, run_in_process
from musicsage.playback import StreamFactory, probe_output
from musicsage.progress import Progress

log = logging.getLogger(__name__)

PLAYLIST_EXTENSIONS = {".m3u", ".m3u8", ".xspf", ".pls"}
SPACES = [("graph", "Graph model"), ("audio", "Audio only")]
COLOUR_BY = [("tag", "Genre tag"), ("playlist", "Playlist"), ("artist", "Artist"), ("album", "Album"),
             ("none", "None")]
AUDIO_MODELS = [(None, "Best available"), ("openl3", "OpenL3"), ("musicnn", "MusiCNN"),
                ("spectral", "Spectral (DSP)")]


def map_points_job(ctx: AppContext, space: str, *, progress=None, cancel=None) -> Any:
    """The map of ``space``: the cached one at once (in this process: no heavy import), else
    computed by UMAP in a child process (umap/numba imports and numba code hold the GIL)."""
    cached = services.map_points(ctx, space, compute=False)
    if cached is not None:
        return cached
    return run_in_process(services.map_points, ctx, space, progress=progress, cancel=cancel)


class MainWindow(QMainWindow):
    snapshot_loaded = Signal()
    map_loaded = Signal()
    neighbours_loaded = Signal(dict)
    training_finished = Signal(str)  # succeeded | cancelled | failed
    notified = Signal(str, str)  # level, text

    def __init__(self, ctx: AppContext, *, settings: QSettings | None = None,
                 stream_factory: StreamFactory | None = None, probe_audio: bool = True,
                 show_dialogs: bool = True, demo_ctx: Callable[[], AppContext] | None = None,
                 demo_options: dict | None = None,
                 home_ctx: AppContext | None = None, train_options: dict | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings = settings if settings is not None else QSettings("musicsage", "musicsage")
        self.show_dialogs = show_dialogs
        self._demo_ctx = demo_ctx
        # The user's own library: adding music while the demo is shown goes there, never into
        # the demo. None: the per-user default library.
        self.home_ctx = home_ctx if home_ctx is not None else ctx
        self.demo_options = dict(demo_options or {})  # build_demo keywords (tests: smaller)
        self.train_options = dict(train_options or {})  # train_graph keywords (tests: max_steps)
        self._demo_training_shown = False
        self._demo_map_shown = False
        self.notifications: list[tuple[str, str]] = []
        self.snapshot: LibrarySnapshot | None = None
        self.map_points = None
        self.map_space: str | None = None
        self.selected: int | None = None
        self.training_job: Job | None = None
        self.long_job: Job | None = None
        self.demo_job: Job | None = None
        self._after_snapshot: list[Callable[[], None]] = []
        self._closing = False
        self.persist_settings = True

        self.setWindowTitle("musicsage")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.workers = WorkerPool(self)
        self.workers.error.connect(self._on_worker_error)

        # panels
        self.library = LibraryPanel(self)
        self.map = MapView(self)
        self.neighbours = NeighboursPanel(self)
        self.player = PlayerBar(self, stream_factory=stream_factory)
        self.welcome = WelcomeView(self)
        self.training = TrainingDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.training)
        self.training.hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.library)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(self.neighbours)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([260, 600, 540])
        self.splitter.setChildrenCollapsible(False)
        self.library.setMinimumWidth(200)
        self.neighbours.setMinimumWidth(360)
        main_page = QWidget(self)
        mv = QVBoxLayout(main_page)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.setSpacing(0)
        mv.addWidget(self.splitter, 1)
        mv.addWidget(self.player)
        self.main_page = main_page
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(main_page)
        self.setCentralWidget(self.stack)

        self._build_actions()
        self._build_status_bar()
        self._connect_panels()
        self._restore_settings()
        self.map.set_message("Loading the library…")
        if stream_factory is None and not probe_audio:
            self.player.set_availability("playback disabled")
        self._probe_audio = stream_factory is None and probe_audio
        # Background work starts on the first event-loop turn, i.e. once the window is up:
        # worker threads importing modules would otherwise compete with the GUI thread for the
        # GIL while the window is being shown.
        QTimer.singleShot(0, self._start_background)

    def _start_background(self) -> None:
        if self._closing:
            return
        if self._probe_audio:
            job = self.workers.submit("audio output", probe_output, progress=False, cancel=False)
            job.succeeded.connect(self._on_audio_probe)
        self.reload()

    # ======================================================================================
    # construction
    # ======================================================================================
    def _build_actions(self) -> None:
        style = self.style()
        tb = self.addToolBar("Main")
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        def action(text: str, slot, *, icon=None, shortcut=None, tip: str = "") -> QAction:
            a = QAction(text, self)
            if icon is not None:
                a.setIcon(style.standardIcon(icon))
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            if tip:
                a.setToolTip(tip)
                a.setStatusTip(tip)
            a.triggered.connect(lambda _checked=False: slot())
            return a

        SP = QStyle.StandardPixmap
        self.add_folder_action = action("Add music folder…", self.ask_add_folder, icon=SP.SP_DirOpenIcon,
                                        shortcut="Ctrl+O", tip="Scan a folder of music into the library")
        self.import_playlists_action = action("Import playlists…", self.ask_import_playlists,
                                              icon=SP.SP_FileDialogContentsView,
                                              tip="Import M3U / M3U8 / XSPF playlist files")
        self.rescan_action = action("Rescan", lambda: self.start_scan([]), icon=SP.SP_BrowserReload,
                                    shortcut="F5", tip="Look for new, changed and removed files")
        self.embed_action = action("Compute embeddings", lambda: self.start_embed(self.embed_model),
                                   icon=SP.SP_MediaVolume, tip="Analyse the audio of tracks that lack it")
        self.retrain_action = action("Retrain", self.start_training, icon=SP.SP_BrowserReload,
                                     shortcut="Ctrl+T", tip="Train the graph model on your current playlists")
        self.retrain_action.setIcon(style.standardIcon(SP.SP_ArrowRight))
        self.fit_action = action("Fit", self.map.fit, shortcut="Ctrl+0", tip="Show the whole map")
        self.demo_action = action("Open demo library", self.open_demo, tip="Build (once) and open the demo library")
        self.cancel_action = action("Cancel current task", self.cancel_long_job)
        self.cancel_action.setEnabled(False)
        quit_action = action("Quit", self.close, shortcut="Ctrl+Q")

        # embedding model choice (menu + remembered)
        self.embed_model: str | None = None
        self.embed_group = QActionGroup(self)
        embed_menu_actions = []
        for key, label in AUDIO_MODELS:
            a = QAction(label, self, checkable=True)
            a.setData(key)
            a.setChecked(key is None)
            a.triggered.connect(lambda _c=False, k=key: self._set_embed_model(k))
            self.embed_group.addAction(a)
            embed_menu_actions.append(a)

        self.preferred_space = "graph"
        self.space_combo = QComboBox(self)
        for key, label in SPACES:
            self.space_combo.addItem(label, key)
        self.space_combo.setToolTip("Which vectors the map and its layout come from")
        self.space_combo.currentIndexChanged.connect(lambda _i: self._on_space_chosen())
        self.colour_combo = QComboBox(self)
        for key, label in COLOUR_BY:
            self.colour_combo.addItem(label, key)
        self.colour_combo.setToolTip("What the map's colours mean")
        self.colour_combo.currentIndexChanged.connect(lambda _i: self.apply_colouring())

        for a in (self.add_folder_action, self.import_playlists_action, self.rescan_action):
            tb.addAction(a)
        tb.addSeparator()
        embed_button = QToolButton(self)
        embed_button.setDefaultAction(self.embed_action)
        embed_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        embed_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        embed_menu = QMenu("Audio model", self)
        embed_menu.addActions(embed_menu_actions)
        embed_button.setMenu(embed_menu)
        tb.addWidget(embed_button)
        tb.addAction(self.retrain_action)
        tb.addSeparator()
        tb.addWidget(QLabel(" Map: ", self))
        tb.addWidget(self.space_combo)
        tb.addWidget(QLabel("  Colour by: ", self))
        tb.addWidget(self.colour_combo)
        tb.addAction(self.fit_action)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addActions([self.add_folder_action, self.import_playlists_action, self.rescan_action])
        m.addSeparator()
        m.addAction(self.demo_action)
        m.addSeparator()
        m.addAction(quit_action)
        m = mb.addMenu("&Analyse")
        m.addAction(self.embed_action)
        sub = m.addMenu("Audio model")
        sub.addActions(embed_menu_actions)
        m.addAction(self.retrain_action)
        m.addAction(action("Recompute map", self.refresh_map))
        m.addSeparator()
        m.addAction(self.cancel_action)
        m = mb.addMenu("&View")
        space_menu = m.addMenu("Map space")
        for i, (key, label) in enumerate(SPACES):
            a = space_menu.addAction(label)
            a.triggered.connect(lambda _c=False, i=i: self.space_combo.setCurrentIndex(i))
        colour_menu = m.addMenu("Colour by")
        for i, (key, label) in enumerate(COLOUR_BY):
            a = colour_menu.addAction(label)
            a.triggered.connect(lambda _c=False, i=i: self.colour_combo.setCurrentIndex(i))
        m.addAction(self.fit_action)
        self.play_on_select_action = QAction("Play selected track", self, checkable=True)
        self.play_on_select_action.setChecked(True)
        m.addAction(self.play_on_select_action)
        m.addAction(self.training.toggleViewAction())

        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, activated=self.player.toggle)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.status_progress = QProgressBar(self)
        self.status_progress.setMaximumWidth(220)
        self.status_progress.setMaximumHeight(16)
        self.status_progress.hide()
        self.status_task = QLabel(self)
        self.status_cancel = QToolButton(self)
        self.status_cancel.setText("Cancel")
        self.status_cancel.setToolTip("Cancel the running task")
        self.status_cancel.clicked.connect(self.cancel_long_job)
        self.status_cancel.hide()
        sb.addPermanentWidget(self.status_task)
        sb.addPermanentWidget(self.status_progress)
        sb.addPermanentWidget(self.status_cancel)

    def _connect_panels(self) -> None:
        self.map.track_clicked.connect(lambda tid: self.select_track(tid))
        self.neighbours.play_requested.connect(self.play_track)
        self.neighbours.retrain_requested.connect(self.start_training)
        self.neighbours.k_changed.connect(lambda _k: self._refresh_neighbours())
        self.neighbours.save_requested.connect(self.ask_save_playlist)
        self.library.search_changed.connect(self.search)
        self.library.track_chosen.connect(lambda tid: self.select_track(tid, center=True))
        self.library.playlist_chosen.connect(self.highlight_playlist)
        self.welcome.add_folder_requested.connect(self.ask_add_folder)
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.cancel_requested.connect(self.cancel_long_job)
        self.training.panel.cancel_requested.connect(self.cancel_training)
        self.player.error.connect(lambda msg: self.notify(msg, "warning"))

    # ======================================================================================
    # notifications
    # ======================================================================================
    def notify(self, text: str, level: str = "info", details: str = "") -> None:
        """The one place messages go: status bar always, a message box for errors."""
        self.notifications.append((level, text))
        self.notified.emit(level, text)
        prefix = {"error": "Error: ", "warning": ""}.get(level, "")
        self.statusBar().showMessage(prefix + text, 15000 if level != "info" else 8000)
        if level == "error" and self.show_dialogs and not self._closing:
            box = QMessageBox(QMessageBox.Icon.Warning, "musicsage", text, parent=self)
            if details:
                box.setDetailedText(details)
            box.setModal(False)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.show()

    def _on_worker_error(self, name: str, message: str, details: str) -> None:
        if name in ("map", "tags"):  # shown where they belong (map overlay, details pane)
            return
        self.notify(f"{name}: {message}", "error", details)

    def _on_audio_probe(self, reason: str | None) -> None:
        self.player.set_availability(reason)
        if reason:
            self.notify(reason, "warning")

    # ======================================================================================
    # long tasks in the status bar
    # ======================================================================================
    def _track_long_job(self, job: Job, label: str) -> None:
        self.long_job = job
        self.status_task.setText(label + "…")
        self.status_progress.setRange(0, 0)
        self.status_progress.show()
        self.status_cancel.show()
        self.cancel_action.setEnabled(True)
        job.progressed.connect(lambda p, j=job: self._on_long_progress(j, p))
        job.finished.connect(lambda j=job: self._on_long_finished(j))

    def _on_long_progress(self, job: Job, p: Progress) -> None:
        if job is not self.long_job:
            return
        text = p.message or p.stage
        self.status_task.setText(text[:80])
        if p.total:
            self.status_progress.setRange(0, int(p.total))
            self.status_progress.setValue(int(min(p.done, p.total)))
        else:
            self.status_progress.setRange(0, 0)

    def _on_long_finished(self, job: Job) -> None:
        if job is not self.long_job:
            return
        self.long_job = None
        still = [j for j in self.workers.jobs if j is not job and getattr(j, "is_long", False)]
        if still:
            self.long_job = still[-1]
            self.status_task.setText(still[-1].name + "…")
            return
        self.status_task.setText("")
        self.status_progress.hide()
        self.status_cancel.hide()
        self.cancel_action.setEnabled(False)

    def cancel_long_job(self) -> None:
        job = self.long_job
        if job is not None:
            job.cancel()
            self.status_task.setText("Cancelling…")

    def run_long(self, label: str, fn: Callable, *args: Any, **kwargs: Any) -> Job:
        job = self.workers.submit(label, fn, *args, lane="heavy", **kwargs)
        job.is_long = True  # type: ignore[attr-defined]
        self._track_long_job(job, label)
        return job

    # ======================================================================================
    # library snapshot
    # ======================================================================================
    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Re-read the library on a worker; panels and map follow."""
        if then is not None:
            self._after_snapshot.append(then)
        job = self.workers.submit("library", load_snapshot, self.ctx, key="snapshot",
                                  progress=False, cancel=False)
        job.succeeded.connect(self._on_snapshot)

    def _on_snapshot(self, snap: LibrarySnapshot) -> None:
        self.snapshot = snap
        stats = snap.stats
        tracks = stats.get("tracks", {})
        emb = stats.get("embeddings", {}) or {}
        self.library.show_summary(tracks=tracks.get("total", 0), missing=tracks.get("missing", 0),
                                  playlists=len(snap.playlists), audio_model=snap.audio_model,
                                  audio_count=int(emb.get(snap.audio_model, 0)) if snap.audio_model else 0,
                                  graph_model=snap.graph_label)
        counts: dict[int, int] = {}
        for pid, _tid in snap.memberships:
            counts[pid] = counts.get(pid, 0) + 1
        self.library.show_playlists([(p.id, p.name or Path(p.path).stem, counts.get(p.id, 0))
                                     for p in snap.playlists])
        has_graph = snap.graph_model is not None
        self.space_combo.model().item(0).setEnabled(has_graph)
        self.space_combo.setItemData(0, None if has_graph else "No graph model yet: press Retrain",
                                     Qt.ItemDataRole.ToolTipRole)
        # Show the space actually drawn; go back to the user's choice once it exists again.
        wanted = self.preferred_space if has_graph else "audio"
        self.space_combo.blockSignals(True)
        self.space_combo.setCurrentIndex(self.space_combo.findData(wanted))
        self.space_combo.blockSignals(False)
        if snap.empty:
            self.stack.setCurrentWidget(self.welcome)
        else:
            self.stack.setCurrentWidget(self.main_page)
        # what needs a library is enabled only with one
        for w in (self.rescan_action, self.embed_action, self.retrain_action, self.fit_action,
                  self.space_combo, self.colour_combo):
            w.setEnabled(not snap.empty)
        if self.training_job is not None:
            self.retrain_action.setEnabled(False)
        self.snapshot_loaded.emit()
        self.refresh_map()
        pending, self._after_snapshot = self._after_snapshot, []
        for fn in pending:
            fn()

    # ======================================================================================
    # map
    # ======================================================================================
    @property
    def space(self) -> str:
        """The map space in use: the chosen one, or audio while there is no graph model."""
        chosen = self.space_combo.currentData()
        if chosen == "graph" and (self.snapshot is None or self.snapshot.graph_model is None):
            return "audio"
        return chosen

    def _on_space_chosen(self) -> None:
        self.preferred_space = self.space_combo.currentData()
        self.refresh_map()

    def refresh_map(self) -> None:
        snap = self.snapshot
        if snap is None or snap.empty:
            return
        if snap.audio_model is None and snap.graph_model is None:
            self.map.set_points(np.zeros(0, np.int64), np.zeros((0, 2), np.float32), [])
            self.map.set_message("No audio embeddings yet.\nUse Analyse ▸ Compute embeddings to draw the map.")
            return
        space = self.space
        if not len(self.map.track_ids) or self.map_space != space:
            self.map.set_message("Computing the map…")
        job = self.workers.submit("map", map_points_job, self.ctx, space, key="map", lane="heavy")
        job.is_long = True  # type: ignore[attr-defined]
        self._track_long_job(job, f"Map ({space})")
        job.succeeded.connect(lambda pts, s=space: self._on_map(pts, s))
        job.failed.connect(lambda msg, _d: self.map.set_message(f"No map: {msg}"))

    def _on_map(self, points: Any, space: str) -> None:
        snap = self.snapshot
        if points is None or snap is None:
            return
        self.map_points = points
        self.map_space = space
        ids = np.asarray(value_of(points, "track_ids"), np.int64)
        xy = np.asarray(value_of(points, "xy"), np.float32)
        titles = [snap.label(int(t)) for t in ids]
        self.map.set_points(ids, xy, titles, self.colouring(ids), fit=True)
        if self.selected is not None:
            self._show_selection_on_map()
        self.map_loaded.emit()

    def colouring(self, ids: np.ndarray) -> Colouring | None:
        snap = self.snapshot
        key = self.colour_combo.currentData()
        if snap is None or key == "none":
            return None
        if key == "playlist":
            names = {p.id: p.name or Path(p.path).stem for p in snap.playlists}
            codes, cats = multi_categorical(ids.tolist(), ((names[pid], tid) for pid, tid in snap.memberships))
            return Colouring(codes, cats, other_name="in no coloured playlist")
        field = {"artist": "artist", "album": "album", "tag": "genre"}[key]
        values = [value_of(snap.by_id.get(int(t)), field) for t in ids]
        codes, cats = categorical(values)
        return Colouring(codes, cats)

    def apply_colouring(self) -> None:
        if len(self.map.track_ids):
            self.map.set_colouring(self.colouring(self.map.track_ids))

    def highlight_playlist(self, playlist_id: int | None) -> None:
        if playlist_id is None or self.snapshot is None:
            self.map.set_highlight([])
            return
        self.map.set_highlight([tid for pid, tid in self.snapshot.memberships if pid == playlist_id])

    # ======================================================================================
    # selection, neighbours, playback
    # ======================================================================================
    def select_track(self, track_id: int, *, play: bool | None = None, center: bool = False) -> None:
        self.selected = int(track_id)
        info = self.snapshot.by_id.get(self.selected) if self.snapshot else None
        self.map.set_selection(self.selected)
        if center:
            self.map.center_on(self.selected)
        self.library.show_track(info, tags_text="…")
        self.neighbours.show_loading(self.snapshot.label(self.selected) if self.snapshot else str(track_id))
        self._refresh_neighbours()
        self._load_tags(info)
        if play is None:
            play = self.play_on_select_action.isChecked()
        if play:
            self.play_track(self.selected)

    def _refresh_neighbours(self) -> None:
        if self.selected is None:
            return
        tid = self.selected
        job = self.workers.submit("neighbours", services.similar_tracks, self.ctx, tid,
                                  self.neighbours.k, "both", key="similar", progress=False, cancel=False)
        job.succeeded.connect(lambda result, t=tid: self._on_neighbours(t, result))

    def _on_neighbours(self, track_id: int, result: dict) -> None:
        if track_id != self.selected:
            return
        graph_available = self.snapshot is not None and self.snapshot.graph_model is not None
        self.neighbours.show_result(result, graph_available=graph_available)
        self._show_selection_on_map()
        self.neighbours_loaded.emit(result)

    def _show_selection_on_map(self) -> None:
        result = self.neighbours.result or {}
        if (result.get("query") or {}).get("track_id") != self.selected:
            self.map.set_selection(self.selected)
            return
        self.map.set_selection(self.selected, [r["track_id"] for r in result.get("graph") or []],
                               [r["track_id"] for r in result.get("audio") or []])

    def _load_tags(self, info: Any) -> None:
        if info is None or not value_of(info, "has_file", True) or value_of(info, "status") == "missing":
            self.library.show_tags("")
            return
        tid = info.id
        path = value_of(info, "fs_path", None) or info.path

        # in the helper process: MusiCNN needs torch, which the window's process never imports
        job = self.workers.submit("tags", self.workers.helper.call, services.track_tags, self.ctx, path, top=4, key="tags")
        job.succeeded.connect(lambda rows, t=tid: self._on_tags(t, rows))
        job.failed.connect(lambda msg, _d, t=tid: self._on_tags(t, None, msg))

    def _on_tags(self, track_id: int, rows: Any, error: str = "") -> None:
        if track_id != self.selected:
            return
        if rows is None:
            self.library.show_tags(f"(unavailable: {error})" if error else "")
            return
        parts = []
        for row in rows:
            tag, p = (row["tag"], row["p"]) if isinstance(row, dict) else row
            parts.append(f"{tag} {float(p):.2f}")
        self.library.show_tags(" · ".join(parts) if parts else "none")

    def play_track(self, track_id: int) -> None:
        if not self.player.available or self.snapshot is None:
            return
        info = self.snapshot.by_id.get(int(track_id))
        if info is None or not value_of(info, "has_file", True):
            return
        if value_of(info, "status") == "missing":
            self.notify(f"cannot play: the file is missing ({info.path})", "warning")
            return
        self.player.play_track(info.id, value_of(info, "fs_path", None) or info.path,
                               value_of(info, "display_title", None) or info.title or "", info.artist or "")

    def ask_save_playlist(self, which: str) -> None:
        result = self.neighbours.result
        if not result:
            return
        q = result.get("query") or {}
        default = Path.home() / f"Similar to {q.get('title') or q.get('track_id')} ({which}).m3u8"
        path, _f = QFileDialog.getSaveFileName(self, "Save as playlist", str(default),
                                               "M3U8 playlist (*.m3u8)")
        if path:
            self.save_playlist(path, which)

    def save_playlist(self, path: str, which: str) -> Job:
        """Write the query and one neighbour list (``which``: graph | audio) as M3U8."""
        result = dict(self.neighbours.result or {})
        other = "audio" if which == "graph" else "graph"
        result[other] = []
        label = "graph model" if which == "graph" else "audio only"
        q = result.get("query") or {}
        name = f"Similar to {q.get('title') or q.get('track_id')} ({label})"
        job = self.workers.submit("save playlist", services.write_m3u, path, result, name=name,
                                  progress=False, cancel=False)
        job.succeeded.connect(lambda n: self.notify(f"saved {n} tracks to {path}"))
        return job

    # ======================================================================================
    # search
    # ======================================================================================
    def focus_search(self) -> None:
        if self.stack.currentWidget() is self.main_page:
            self.library.focus_search()

    def search(self, text: str) -> None:
        if not text:
            self.library.show_search_results("", [])
            return
        snap = self.snapshot

        def run(*, progress=None, cancel=None):
            return services.search_tracks(self.ctx, text, limit=100)

        job = self.workers.submit("search", run, key="search")
        job.succeeded.connect(lambda rows, t=text: self.library.show_search_results(
            t, [(r.id, snap.label(r.id) if snap else r.title or str(r.id)) for r in rows]))

    # ======================================================================================
    # scan / embed / train / demo
    # ======================================================================================
    def ask_add_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Add music folder", str(Path.home()))
        if d:
            self.start_scan([d])

    def ask_import_playlists(self) -> None:
        files, _f = QFileDialog.getOpenFileNames(self, "Import playlists", str(Path.home()),
                                                 "Playlists (*.m3u *.m3u8 *.xspf *.pls);;All files (*)")
        if files:
            self.start_scan([], playlists=files)

    def start_scan(self, paths: list[str], playlists: list[str] | tuple = ()) -> Job:
        """Scan folders/files and playlists; then embed what is new; then refresh everything."""
        if (paths or playlists) and self.showing_demo and self.home_ctx.data_dir != self.ctx.data_dir:
            self.set_context(self.home_ctx)
            self.notify("Switched from the demo to your own library")
        label = "Scanning" if paths or not playlists else "Importing playlists"
        job = self.run_long(label, services.scan_library, self.ctx, list(paths), list(playlists))
        job.succeeded.connect(self._on_scan_done)
        return job

    def _on_scan_done(self, report: Any) -> None:
        self.notify(describe_scan(report))
        self.reload(then=self._embed_if_needed)

    def _embed_if_needed(self) -> None:
        snap = self.snapshot
        if snap is None or snap.empty:
            return
        present = snap.stats.get("tracks", {}).get("present", 0)
        counts = snap.stats.get("embeddings", {}) or {}
        have = counts.get(snap.audio_model, 0) if snap.audio_model else 0
        if present and have < present:
            self.start_embed(self.embed_model)

    def _set_embed_model(self, key: str | None) -> None:
        self.embed_model = key
        self.settings.setValue("analysis/embed_model", key or "")

    def start_embed(self, model: str | None = None) -> Job:
        # in its own process, like training: the audio models need torch (see run_in_process)
        job = self.run_long("Computing embeddings", run_in_process, services.embed_tracks, self.ctx, model)
        job.succeeded.connect(lambda report: (self.notify(describe_embed(report)), self.reload()))
        job.cancelled.connect(lambda: (self.notify("Embedding cancelled: finished tracks are kept"),
                                       self.reload()))
        return job

    def start_training(self) -> Job:
        if self.training_job is not None and self.training_job.running:
            self.training.show()
            return self.training_job
        self.show_training_dock()
        self.training.panel.start()
        # in its own process: training's kernels hold the GIL long enough to stall the window
        job = self.run_long("Training", run_in_process, services.train_graph, self.ctx,
                           **self.train_options)
        self.training_job = job
        job.progress_batch.connect(self.training.panel.add_progress)
        job.succeeded.connect(self._on_training_done)
        job.cancelled.connect(lambda: self._on_training_end("cancelled"))
        job.failed.connect(lambda msg, _d: self._on_training_end("failed", msg))
        self.retrain_action.setEnabled(False)
        self.neighbours.retrain_button.setEnabled(False)
        return job

    def show_training_dock(self) -> None:
        """Open the dock at a height that leaves the map most of the window."""
        was_visible = self.training.isVisible()
        self.training.show()
        self.training.raise_()
        if not was_visible:
            self.resizeDocks([self.training], [max(260, self.height() // 3)], Qt.Orientation.Vertical)

    def cancel_training(self) -> None:
        if self.training_job is not None:
            self.training_job.cancel()
            self.training.panel.status.setText("Cancelling…")

    def _on_training_done(self, report: Any) -> None:
        metrics = value_of(report, "metrics")
        best = value_of(report, "best_step")
        self.training.panel.finish("succeeded", metrics if isinstance(metrics, dict) else None,
                                   describe_training(report),
                                   best_step=best if isinstance(best, int) else None)
        self._on_training_end("succeeded")

    def _on_training_end(self, outcome: str, message: str = "") -> None:
        if outcome != "succeeded":
            self.training.panel.finish(outcome, message=message)
        self.training_job = None
        self.retrain_action.setEnabled(True)
        self.neighbours.retrain_button.setEnabled(True)
        if outcome == "cancelled":
            self.notify("Training cancelled: the previous model is still in use")
        self.reload(then=lambda o=outcome: self._after_training(o))

    def _after_training(self, outcome: str) -> None:
        if self.selected is not None:
            self._refresh_neighbours()
        self.training_finished.emit(outcome)

    def open_demo(self) -> None:
        """Switch to the demo library; build it (or resume the build) in the background.

        ``services.build_demo`` runs generate → scan → embed → audio map → train → graph map.
        The welcome page shows its progress until the audio map exists (stage ``train``);
        from then on the map is on screen and the training dock shows the graph model learn.
        """
        if self.demo_job is not None:
            return
        ctx = self._demo_ctx() if self._demo_ctx is not None else AppContext.create(services.demo_data_dir())
        if ctx.data_dir != self.ctx.data_dir:
            self.set_context(ctx)
            self.reload()
        if services.demo_status(self.ctx).state == "ready":
            return
        self.welcome.show_busy("Building the demo library…")
        self.stack.setCurrentWidget(self.welcome)
        job = self.run_long("Building the demo library", run_in_process, services.build_demo, self.ctx,
                           **self.demo_options)
        self.demo_job = job
        self._demo_training_shown = False
        self._demo_map_shown = False
        job.progressed.connect(self.welcome.show_progress)
        job.progress_batch.connect(self._on_demo_progress)
        job.finished.connect(self._on_demo_finished)

    def _on_demo_progress(self, batch: list[Progress]) -> None:
        training = [p for p in batch if p.stage == "train"]
        if training and not self._demo_map_shown:
            # the library, its audio vectors and the audio map are ready: show them now
            self._demo_map_shown = True
            self.reload()
        steps = [p for p in training if "step" in p.extra]
        if steps and not self._demo_training_shown:
            self._demo_training_shown = True
            self.show_training_dock()
            self.training.panel.start()
            self.training.panel.status.setText("Training the demo's graph model…")
        if steps:
            self.training.panel.add_progress(steps)

    def _on_demo_finished(self) -> None:
        job, self.demo_job = self.demo_job, None
        self.welcome.show_idle()
        if job is not None and job.state == "succeeded":
            report = job.result
            train = (value_of(report, "stages") or {}).get("train")
            skipped = (value_of(report, "skipped") or {}).get("train")
            if self._demo_training_shown:
                metrics = (train or {}).get("metrics")
                if skipped:
                    self.training.panel.finish("failed", message=str(skipped))
                else:
                    best = (train or {}).get("best_step")
                    self.training.panel.finish("succeeded", metrics if isinstance(metrics, dict) else None,
                                               "Demo graph model trained: it is in use.",
                                               best_step=best if isinstance(best, int) else None)
            text = "Demo library ready: click a point to hear it and its neighbours"
            if skipped:
                text += f" (graph model not trained: {skipped})"
            self.notify(text)
        elif job is not None and job.state == "cancelled":
            if self._demo_training_shown:
                self.training.panel.finish("cancelled")
            self.notify("Demo build paused: open the demo library again to resume")
        self.reload()

    @property
    def showing_demo(self) -> bool:
        """True while the window shows the demo library (built by build_demo)."""
        try:
            return services.demo_status(self.ctx).state != "absent" and (
                self._demo_ctx is None or self._demo_ctx().data_dir == self.ctx.data_dir)
        except Exception:  # noqa: BLE001 - a damaged state file: treat as not the demo
            return False

    def set_context(self, ctx: AppContext) -> None:
        """Show another library (the demo, a --data-dir)."""
        self.ctx = ctx
        self.selected = None
        self.snapshot = None
        self.map_points = None
        self.map_space = None
        self.map.set_points(np.zeros(0, np.int64), np.zeros((0, 2), np.float32), [])
        self.map.set_message("Loading the library…")
        self.neighbours.clear()
        self.library.show_track(None)
        self.setWindowTitle(f"musicsage — {ctx.data_dir}")

    # ======================================================================================
    # drag and drop
    # ======================================================================================
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if self.handle_dropped_paths(paths):
            event.acceptProposedAction()

    def handle_dropped_paths(self, paths: list[str]) -> bool:
        """Folders and audio files are scanned, playlist files imported."""
        playlists = [p for p in paths if Path(p).suffix.lower() in PLAYLIST_EXTENSIONS]
        music = [p for p in paths if p not in playlists]
        if not (playlists or music):
            return False
        self.start_scan(music, playlists)
        return True

    # ======================================================================================
    # settings and shutdown
    # ======================================================================================
    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
            self.training.hide()
        for key, splitter in (("window/splitter", self.splitter), ("window/library_splitter",
                                                                    self.library.splitter)):
            sizes = s.value(key)
            if isinstance(sizes, QByteArray) and not sizes.isEmpty():
                splitter.restoreState(sizes)
        for key, combo in (("view/space", self.space_combo), ("view/colour_by", self.colour_combo)):
            value = s.value(key)
            i = combo.findData(value) if value is not None else -1
            if i >= 0:
                combo.setCurrentIndex(i)
        self.preferred_space = self.space_combo.currentData()
        k = s.value("view/k")
        if k is not None:
            self.neighbours.k_spin.setValue(int(k))
        play = s.value("view/play_on_select")
        if play is not None:
            self.play_on_select_action.setChecked(str(play).lower() in ("true", "1"))
        vol = s.value("player/volume")
        if vol is not None:
            self.player.volume.setValue(int(vol))
        model = s.value("analysis/embed_model")
        if model:
            for a in self.embed_group.actions():
                if a.data() == model:
                    a.setChecked(True)
                    self.embed_model = model

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/library_splitter", self.library.splitter.saveState())
        s.setValue("view/space", self.preferred_space)
        s.setValue("view/colour_by", self.colour_combo.currentData())
        s.setValue("view/k", self.neighbours.k)
        s.setValue("view/play_on_select", self.play_on_select_action.isChecked())
        s.setValue("player/volume", self.player.volume.value())
        s.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Stop everything before the widgets go: cancel workers, wait, stop audio."""
        self._closing = True
        if self.persist_settings:
            self.save_settings()
        if self.workers.busy:
            self.statusBar().showMessage("Stopping background tasks…")
            QApplication.processEvents()
        self.workers.shutdown(timeout_s=60)
        self.player.shutdown()
        super().closeEvent(event)
