"""The main window: builds the widgets and connects them to the controllers.

All state and decisions live in the Qt-free :class:`~musicsage.controllers.app.AppController`
(``self.app``): which library is shown, the selection, the map's space, training, the demo.
Its use cases run on ``self.workers`` (a :class:`WorkerPool`), each as it declares. This
class only turns widget signals into controller calls and controller events into widget
updates; failures reach :meth:`show_notification`, the one notification place (status bar,
plus a non-modal message box for errors).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFileDialog, QMainWindow, QMessageBox, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from musicsage.context import AppContext
from musicsage.controllers.app import AppController
from musicsage.controllers.status_queue import StatusQueue
from musicsage.controllers.wording import no_sound_notice
from musicsage.gui.icons import app_icon
from musicsage.gui.library_panel import LibraryPanel
from musicsage.gui.explore_wiring import connect_explore
from musicsage.gui.map_keys import MapKeys
from musicsage.gui.map_tools import MapTools
from musicsage.gui.map_view import Colouring, MapView
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.opening_page import OpeningPage, page_stack
from musicsage.gui.panel_scroll import LOW_WINDOW, PanelScroll
from musicsage.gui.plain import plain_tooltip
from musicsage.gui.player import PlayerBar
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.gui.queue_panel import QueuePanel
from musicsage.gui.save_playlist import ask_playlist_path
from musicsage.gui.status_bar import StatusBar
from musicsage.gui.suggestions_panel import SuggestionsPanel
from musicsage.gui.tab_order import order_tab_stops
from musicsage.gui.training_dock import TrainingDock
from musicsage.gui.welcome import WelcomeView
from musicsage.gui.window_actions import build_actions, build_status_bar, connect_demo_banner
from musicsage.gui.window_layout import PanelWidths
from musicsage.gui.window_settings import restore_settings, save_settings
from musicsage.gui.window_wiring import connect_controllers
from musicsage.gui.workers import WorkerPool
from musicsage.library.playlists import playlist_extensions
from musicsage.playback import StreamFactory, probe_output
from musicsage.text import counted, printable

CHANGE_CHECK_MS = 3000
"""How often the window asks whether the library changed outside it (one cheap SQLite
pragma in the background; a reload only when something did change)."""
WARNING_SECONDS = 15
"""How long a warning or error stays on the status bar (unless another message replaces it)."""
WARNING_READ_SECONDS = 5
"""How long a warning or error is shown at least: an info line that comes meanwhile waits."""
LOW_PANEL_LEAST = 120
"""How low the library and the lists panel may get (they scroll): room for the training dock
on a low window, and still a few rows of each."""

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    snapshot_loaded = Signal()
    map_loaded = Signal()
    neighbours_loaded = Signal(object)  # SimilarResult
    suggestions_loaded = Signal(object)  # SuggestResult
    training_finished = Signal(str)  # succeeded | cancelled | failed
    notified = Signal(str, str)  # level, text

    def __init__(self, ctx: AppContext, *, settings: QSettings | None = None,
                 stream_factory: StreamFactory | None = None, probe_audio: bool = True,
                 show_dialogs: bool = True, demo_ctx: Callable[[], AppContext] | None = None,
                 demo_options: dict | None = None,
                 home_ctx: AppContext | None = None, train_options: dict | None = None,
                 persist_settings: bool = True) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings("musicsage", "musicsage")
        self.show_dialogs = show_dialogs
        self._closing = False
        self.status_queue = StatusQueue(WARNING_READ_SECONDS)  # what the status bar holds back
        self.persist_settings = persist_settings  # False: a --screenshot run
        self.setWindowTitle("musicsage")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.workers = WorkerPool(self)
        self.app = AppController(ctx, self.workers, home_ctx=home_ctx, demo_ctx=demo_ctx,
                                 demo_options=demo_options, train_options=train_options)
        self.workers.error.connect(self.app.task_failed)
        self._build_panels(stream_factory)
        self.setStatusBar(StatusBar(self))  # a long line keeps both ends (its middle elided)
        self.actions_ = build_actions(self)
        self.status_line = build_status_bar(self)
        connect_controllers(self)
        connect_explore(self)
        restore_settings(self)
        connect_demo_banner(self)  # after both: see there
        order_tab_stops(self)
        self.map.set_message("Loading the library…")
        if stream_factory is None and not probe_audio:
            self.player.set_availability("playback disabled")
        self._probe_audio = stream_factory is None and probe_audio
        # Background work starts on the first event-loop turn, i.e. once the window is up:
        # worker threads importing modules would otherwise compete with the GUI thread for the
        # GIL while the window is being shown.
        QTimer.singleShot(0, self._start_background)
        # What a command in a terminal changes (a new model, new tracks) shows up by itself.
        self._change_check = QTimer(self)
        self._change_check.setInterval(CHANGE_CHECK_MS)
        self._change_check.timeout.connect(self._check_for_changes)

    def _build_panels(self, stream_factory: StreamFactory | None) -> None:
        self.library = LibraryPanel(self)
        self.library.playlist_box.import_requested.connect(self.ask_import_playlists)
        self.map = MapView(self)
        self.map_tools = MapTools(self.map)
        self.map_keys = MapKeys(self.map)  # + − zoom, arrows pan, 0 fits
        self.neighbours = NeighboursPanel(self)
        self.suggestions = SuggestionsPanel(self)
        self.playlist = PlaylistPanel(self)
        self.queue = QueuePanel(self)
        self.right = QTabWidget(self)
        self.right.setDocumentMode(True)
        for panel, title in ((self.neighbours, "Neighbours"), (self.suggestions, "Suggestions"),
                             (self.playlist, "Playlist"), (self.queue, "Queue")):
            self.right.addTab(panel, title)
        self.player = PlayerBar(self, stream_factory=stream_factory)
        self.app.selection.can_play = lambda: self.player.available
        self.app.selection.cannot_play_reason = lambda: self.player.unavailable_reason
        self.welcome = WelcomeView(self)
        self.training = TrainingDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.training)
        self.training.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        # The library and the lists may scroll rather than keep the training dock at 44 px
        # (800x500), or the window above 640 px (a search, a track and the dock made it 651):
        # their least height is low on any window; a roomy one gives them their whole height
        # (_dock_height, _share_height_with_dock). See PanelScroll.
        self.library_scroll = PanelScroll(self.library, self, low_least=LOW_PANEL_LEAST,
                                          stand_in=True, whole=False)
        self.right_scroll = PanelScroll(self.right, self, low_least=LOW_PANEL_LEAST,
                                        stand_in=True, whole=False)
        # The map and the lists share what a resize gives or takes: with the map alone
        # stretching, a narrower window (or a layout saved on a larger screen) left it a sliver.
        for i, (panel, stretch) in enumerate(((self.library_scroll, 0), (self.map, 1),
                                              (self.right_scroll, 1))):
            self.splitter.addWidget(panel)
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setSizes([220, 540, 640])
        self.splitter.setChildrenCollapsible(False)
        self.panel_widths = PanelWidths(self.splitter, self.settings)  # shared out as it shows
        self.library.setMinimumWidth(180)
        self.map.setMinimumWidth(max(140, self.map.minimumWidth()))  # its tools' bar may need more
        self.right.setMinimumWidth(360)
        self.main_page = QWidget(self)
        mv = QVBoxLayout(self.main_page)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.setSpacing(0)
        mv.addWidget(self.splitter, 1)
        mv.addWidget(self.player)
        self.opening = OpeningPage(self)  # until the library is read: it may not be empty
        self.stack = page_stack(self, self.opening, self.welcome, self.main_page)
        self.setCentralWidget(self.stack)

    @property
    def space_combo(self):
        return self.actions_.space_combo

    @property
    def colour_combo(self):
        return self.actions_.colour_combo

    def _start_background(self) -> None:
        if self._closing:
            return
        if self._probe_audio:
            self.workers.run("audio output", probe_output).on_result(self._on_audio_probe)
        self.app.library.reload()
        self._change_check.start()

    def _check_for_changes(self) -> None:
        if not self._closing:
            self.app.library.check_for_changes()

    def _on_audio_probe(self, reason: str | None) -> None:
        """The player bar keeps the whole reason in its tooltip; the status line says it
        plainly, the sound system's own words in its tooltip and the log."""
        self.player.set_availability(reason)
        if reason:
            log.warning("no sound: %s", reason)
            line, details = no_sound_notice(reason)
            self.app.notify(line, "warning", details)

    # -- notifications ------------------------------------------------------------------------
    def show_notification(self, level: str, text: str, details: str = "") -> None:
        """Status bar always, a message box for errors. A warning or error keeps the bar for at
        least 5 s: an info line (a scan's next stage, within a second) or a warning (the refusal
        to play a playlist, after its entries left out) that comes meanwhile waits, in turn —
        each replaced the one before before anyone could read it. ``details`` of a line that is
        not an error (the files a folder-watch batch changed) go in the status bar's tooltip
        under the line, for as long as it is shown."""
        self.notified.emit(level, text)
        now = time.monotonic()
        if self.status_queue.hold(level, text, details, now, self.statusBar().currentMessage()):
            self._wake_for_held_line(now)
            return
        line = ("Error: " if level == "error" else "") + text
        self.status_queue.showing(level, line, now)
        self._show_message(line, WARNING_SECONDS * 1000 if level != "info" else 8000,
                           "" if level == "error" else details)
        if level == "error" and self.show_dialogs and not self._closing:
            box = QMessageBox(QMessageBox.Icon.Warning, "musicsage", text, parent=self)
            if details:
                box.setDetailedText(details)
            box.setModal(False)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.show()

    def _show_message(self, text: str, ms: int, details: str = "") -> None:
        bar = self.statusBar()
        text = printable(text)  # one line: a name with a line break in it split the bar
        bar.showMessage(text, ms)  # its tooltip follows the message (build_status_bar) …
        if details:  # … with the details under it (file names: shown as written)
            bar.setToolTip(plain_tooltip(f"{text}\n\n{details}"))

    def _wake_for_held_line(self, now: float) -> None:
        wait = self.status_queue.wait(now)
        if wait is not None:
            QTimer.singleShot(int(wait * 1000) + 1, self, self._show_held_line)

    def _show_held_line(self) -> None:
        """The line held back (the next warning, else the latest info line), once the warning
        before it has had its time; a coarse timer may wake a little early: then again later."""
        if self._closing:
            return
        now = time.monotonic()
        held = self.status_queue.take(now)
        if held is not None:
            level, text, details = held
            self._show_message(text, WARNING_SECONDS * 1000 if level != "info" else 8000, details)
        self._wake_for_held_line(now)

    # -- asking the user ----------------------------------------------------------------------
    def ask_add_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Add music folder", str(Path.home()))
        if d:  # the playlist files found there: the empty playlist list's lasting hint
            found = self.library.playlist_box.set_playlist_files_found
            self.app.library.scan([d]).on_result(lambda r: found(len(r.playlist_files)))

    def ask_remove_folder(self, folder: str, tracks: int) -> None:
        """File › Remove music folder: asked first, since the tracks' analysis goes with them."""
        text = (f"Remove {printable(folder)} from the library?\n\nIts {counted(tracks, 'track')} "
                f"{'leaves' if tracks == 1 else 'leave'} the library, with the audio analysis. "
                "Playlists keep their entries, and no file is deleted: adding the folder again "
                "brings the tracks back.")
        if self.confirm("Remove music folder", text):
            self.app.library.forget(folder)

    def confirm(self, title: str, text: str) -> bool:
        """Ask before doing what cannot be undone at once (tests answer for the user)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def ask_import_playlists(self) -> None:
        files, _f = QFileDialog.getOpenFileNames(
            self, "Import playlists", str(Path.home()),
            f"Playlists ({' '.join('*' + e for e in playlist_extensions())});;"
            "Music players' libraries (*.xml *.db);;All files (*)")
        if files:
            self.app.library.scan([], playlists=files)

    def ask_save_playlist(self, which: str) -> None:
        if self.app.selection.result is None:
            return
        path = self.ask_playlist_path(self.app.selection.default_playlist_path(which))
        if path:
            self.app.selection.save_playlist(path, which)

    def set_embed_model(self, key: str | None) -> None:
        self.app.library.embed_model = key
        if self.persist_settings:  # a --screenshot run, or a settings file that could not be kept
            self.settings.setValue("analysis/embed_model", key or "")

    def focus_search(self) -> None:
        if self.stack.currentWidget() is self.main_page:
            self.library.focus_search()

    # -- the map ------------------------------------------------------------------------------
    def colouring(self, ids: np.ndarray) -> Colouring | None:
        found = self.app.map.colouring(ids)
        if found is None:
            return None
        codes, names, other = found
        counts, note = self.app.map.legend_counts(names)
        # the legend's entries on one line each: a genre, an artist, a playlist's name
        return Colouring(codes, [printable(n) for n in names], other, counts=counts, note=note,
                         footnote=self.app.map.legend_footnote)

    def apply_colouring(self) -> None:
        if len(self.map.track_ids):
            self.map.set_colouring(self.colouring(self.map.track_ids))

    def show_selection_on_map(self) -> None:
        selected, graph_ids, audio_ids = self.app.selection.marks()
        self.map.set_selection(selected, graph_ids, audio_ids)
        self.map_tools.show_neighbour_lines(selected, graph_ids, audio_ids)

    def ask_playlist_path(self, default: Path) -> str:
        """A file name for a playlist to write ("" when the user cancels), ending as one."""
        return ask_playlist_path(self, default, self.confirm)

    def show_training_dock(self) -> None:
        """Open the dock at a height that shows its texts and evaluation table whole and
        leaves the map at least half the window (on a low screen the texts scroll; the table
        always shows whole)."""
        was_visible = self.training.isVisible()
        self.training.fit_window_height(self.height())
        self.training.show()
        self.training.raise_()
        if not was_visible:
            # lay the dock out first: its texts' height depends on their column's width
            self.layout().activate()
            self.training.panel.layout().activate()
            self.resizeDocks([self.training], [self._dock_height()], Qt.Orientation.Vertical)

    def _dock_height(self) -> int:
        """A third of the window, at least 260 px (more, up to half, for long texts) — but
        on a low window no more than leaves each neighbour list four rows, down to the dock's
        least (its table whole, its texts scrolling). A fixed 260 px at 1024x640 left the
        lists at their least, two rows and a half, and the dock's foot empty. Below
        LOW_WINDOW px: :meth:`_low_dock_height`."""
        if self.height() < LOW_WINDOW:
            return self._low_dock_height()
        need = self.training.panel.preferred_height() + self.training.fontMetrics().height() + 8
        roomy = max(260, self.height() // 3, min(need, self.height() // 2))
        least = self.training.minimumSizeHint().height()
        two_rows_more = 2 * 2 * (self.fontMetrics().height() + 2)  # lists' least: two rows
        whole = max(0, self._panels_whole_height() - self.splitter.minimumSizeHint().height())
        rest = self.minimumSizeHint().height() - least + whole + two_rows_more
        return max(least, min(roomy, self.height() - rest))

    def _panels_whole_height(self) -> int:
        """The height at which the library and the lists panel both show whole, without
        scrolling."""
        return max(p.whole_height() for p in (self.library_scroll, self.right_scroll))

    def _dock_title_height(self) -> int:
        """The height of the dock's title bar: as laid out once the dock is shown, else its
        font's line and margins."""
        dock = self.training
        if dock.height() > dock.scroll.height() > 0:
            return dock.height() - dock.scroll.height()
        return dock.fontMetrics().height() + 8

    def _low_dock_height(self) -> int:
        """On a window below LOW_WINDOW px: the dock's whole panel (plots, table whole) if
        that leaves the panels above it half the room, else half. At 800x500 the dock got
        44 px — the panels above kept their whole height — and showed nothing readable; now
        the library and the lists scroll a little instead."""
        room = self.splitter.height() + self.training.height()
        whole = self.training.panel.minimumSizeHint().height() + self._dock_title_height()
        return max(self.training.minimumSizeHint().height(), min(whole, room // 2))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.training.fit_window_height(self.height())  # a low window: the dock scrolls
        self.panel_widths.resized(event.oldSize().width(), self.width())
        if event.oldSize().height() != self.height():
            self._share_height_with_dock()

    def _share_height_with_dock(self) -> None:
        """After a change of height the dock takes its share again: on a low window as it
        opens there (:meth:`_low_dock_height`); on a roomy one it gives up, down to its own
        least, what the library and the lists need to show whole. They once asked for their
        whole height on a window of LOW_WINDOW px or more, which then could not be made
        lower (800x500 gave 800x651); a window made low kept the dock's height and left them
        120 px. A drag of the dock's edge holds until the next change of height."""
        dock = self.training
        if (not dock.isVisible() or dock.isFloating()
                or self.dockWidgetArea(dock) != Qt.DockWidgetArea.BottomDockWidgetArea):
            return
        if self.height() < LOW_WINDOW:
            height = self._low_dock_height()
        else:
            give = min(self._panels_whole_height() - self.splitter.height(),
                       dock.height() - dock.minimumSizeHint().height())
            height = dock.height() - max(give, 0)
        if height != dock.height():
            self.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.panel_widths.shown(self.width())  # the first widths follow the window's until a drag

    # -- drag and drop ------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():  # web links too: the drop says why they are left out
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Files as their paths, web links as they are (:func:`~musicsage.controllers.drops.
        add_dropped` names them): a browser's links among files were dropped without a word."""
        urls = [u for u in event.mimeData().urls()
                if not u.isEmpty() and not u.toString().startswith("#")]  # uri-list comments
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        links = [u.toDisplayString() for u in urls if not u.isLocalFile()]  # no password
        if self.app.library.add_dropped(paths, links):
            event.acceptProposedAction()

    # -- shutdown -----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Stop everything before the widgets go: audio (not through the wait), workers."""
        self._closing = True
        self._change_check.stop()
        self.library.drop_pending_search()  # it would start work after the pool's shutdown
        if self.persist_settings:
            self.panel_widths.save(self.settings)  # before save_settings syncs the file
            save_settings(self)
        self.player.shutdown()
        if self.workers.busy:
            self.statusBar().showMessage("Stopping background tasks…")
            QApplication.processEvents()
        self.workers.shutdown(timeout_s=60)
        self.app.close()  # after the threads: the library's -wal and -shm go with its last user
        super().closeEvent(event)
