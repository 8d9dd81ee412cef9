"""The main window's actions, toolbar, menus and status bar (widgets only).

:func:`build_actions` creates every QAction and control of the window and wires each to a
controller call; the window keeps references to the ones it enables, disables or restores.
The actions' icons are the style's and the app's own glyphs (Compute embeddings' waveform,
Retrain's graph, the whole map's frame: the style's speaker and ▶ read as a player's controls),
inked in the window's theme (:class:`PaletteIcons`): the style draws its glyphs black, and on
a dark theme Compute embeddings and Retrain showed none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QComboBox, QLabel, QMenu, QProgressBar, QStyle, QToolBar,
                               QToolButton, QToolTip)

from musicsage.controllers.library import AUDIO_MODEL_CHOICES
from musicsage.controllers.map import COLOUR_CHOICES, SPACE_CHOICES
from musicsage.controllers.wording import named_tip
from musicsage.gui.focus_ring import ring_focus
from musicsage.gui.icons import PaletteIcons
from musicsage.gui.library_enabling import embed_model_tip
from musicsage.gui.opening_page import off_until_open
from musicsage.gui.plain import tips_shown
from musicsage.gui.remove_missing import add_remove_missing
from musicsage.gui.shortcuts_dialog import show_about
from musicsage.gui.theme_follow import FollowTheme, demo_banner_style
from musicsage.gui.window_keys import (ControlsKeepTheirKeys, EscCancelsTask, FollowsEnabled,
                                       add_cancel_key, add_find, build_help_menu,
                                       build_playback_menu, cancel_keys_text,
                                       nothing_queued_gives_way, playback_refusals)
from musicsage.gui.window_wiring import (choice_menu, enable_graph_models, enable_runs,
                                         fill_graph_models, menu_text)
from musicsage.library.playlists import playlist_kinds
from musicsage.text import counted, printable

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow

SP = QStyle.StandardPixmap
MAP_TIP = ("What places similar tracks near each other: your playlists and their sound "
           "(Graph model), or their sound alone (Audio only)")


@dataclass
class WindowActions:
    add_folder: QAction
    import_playlists: QAction
    rescan: QAction
    embed: QAction
    retrain: QAction
    fit: QAction
    demo: QAction
    home: QAction
    cancel: QAction
    quit: QAction
    recompute_map: QAction
    play_on_select: QAction
    watch_folders: QAction
    remove_folder: QMenu
    graph_models: QMenu
    embed_models: QActionGroup
    space_combo: QComboBox
    colour_combo: QComboBox
    demo_banner: QToolBar
    demo_banner_text: QLabel

    @property
    def need_a_library(self) -> tuple:
        """What is enabled only while the library has tracks."""
        return (self.rescan, self.embed, self.retrain, self.fit, self.recompute_map,
                self.space_combo, self.colour_combo)

    @property
    def need_a_readable_library(self) -> tuple:
        """What writes into the library, so is off while it cannot be read at all."""
        return (self.add_folder, self.import_playlists, self.remove_folder.menuAction())


def _action(w: "MainWindow", text: str, slot: Callable[[], object], *, icon=None,
            shortcut: str | None = None, tip: str = "") -> QAction:
    a = QAction(text, w)
    if icon is not None:
        w.action_icons.set(a, icon)
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
    if tip:
        a.setToolTip(tip)
        a.setStatusTip(tip)
    a.triggered.connect(lambda _checked=False: slot())
    return a


def _combo(w: "MainWindow", choices: list[tuple[str, str]], name: str, tip: str) -> QComboBox:
    combo = QComboBox(w)
    for key, label in choices:
        combo.addItem(label, key)
    combo.setToolTip(tip)
    combo.setAccessibleName(name)  # its label beside it: a screen reader said only its value
    return combo


def build_actions(w: "MainWindow") -> WindowActions:
    """Every action and control of the window, wired to the window's controllers."""
    app = w.app
    w.action_icons = PaletteIcons(w)
    retrain = _action(w, "Retrain", app.training.start, icon="retrain",
                      shortcut="Ctrl+T", tip="Train the graph model on your current playlists")
    play_on_select = QAction("Play tracks when selected", w, checkable=True)
    play_on_select.setStatusTip("A track selected on the map or in a list starts playing")
    play_on_select.setChecked(True)
    watch_folders = QAction("Watch folders for changes", w, checkable=True)
    watch_folders.setStatusTip("Keep the library current while the window is open: new, "
                               "changed, moved and deleted files are picked up by themselves")
    home = _action(w, "Back to my library", app.demo.go_home, icon=SP.SP_ArrowBack,
                   tip="Leave the demo and show your own library again")
    home.setVisible(False)  # only while the demo is shown (show_which_library)
    banner, banner_text = _build_demo_banner(w, home)
    FollowTheme(w, banner)  # the banner's stylesheet: a new theme
    acts = WindowActions(
        add_folder=_action(w, "Add music folder…", w.ask_add_folder, icon=SP.SP_DirOpenIcon,
                           shortcut="Ctrl+O", tip="Scan a folder of music into the library"),
        import_playlists=_action(w, "Import playlists…", w.ask_import_playlists,
                                 icon=SP.SP_FileDialogContentsView,
                                 tip=f"Import playlist files ({playlist_kinds()}) or a "
                                     "music player's library file"),
        rescan=_action(w, "Rescan", lambda: app.library.scan([]), icon=SP.SP_BrowserReload,
                       shortcut="F5", tip="Look for new, changed and removed files"),
        embed=_action(w, "Compute embeddings", lambda: app.library.embed(app.library.embed_model),
                      icon="embed", tip="Analyse the audio of tracks that lack it"),
        retrain=retrain,
        fit=_action(w, "Show the whole map", w.map.fit, icon="whole_map", shortcut="Ctrl+0",
                    tip="Zoom the map out to every track (0 or Home with the map focused)"),
        demo=_action(w, "Open demo library", app.demo.open,
                     tip="Build (once) and open the demo library"),
        home=home,
        cancel=_action(w, "Cancel current task", app.tasks.cancel,
                       tip=f"Stop the running task ({cancel_keys_text()})"),
        quit=_action(w, "Quit", w.close, shortcut="Ctrl+Q"),
        recompute_map=_action(w, "Recompute map", lambda: app.map.refresh(relayout=True),
                              tip="Lay the map out afresh: music added or removed since the "
                                  "last layout was placed on the map you know"),
        play_on_select=play_on_select,
        watch_folders=watch_folders,
        remove_folder=tips_shown(QMenu("Remove music folder", w)),
        graph_models=tips_shown(QMenu("Graph model", w)),
        embed_models=QActionGroup(w),
        space_combo=_combo(w, SPACE_CHOICES, "Map", MAP_TIP),
        colour_combo=_combo(w, COLOUR_CHOICES, "Colour by", "What the map's colours mean"),
        demo_banner=banner, demo_banner_text=banner_text)
    acts.cancel.setEnabled(False)
    _add_embed_models(w, acts.embed_models)
    _build_toolbar(w, acts)
    _build_menus(w, acts)
    _build_keys(w, acts)
    off_until_open([*acts.need_a_library, *acts.need_a_readable_library], app.library)
    return acts


def _add_embed_models(w: "MainWindow", group: QActionGroup) -> None:
    """Analyse ▸ Audio model's choices (also under Compute embeddings' arrow)."""
    for key, label in AUDIO_MODEL_CHOICES:
        a = QAction(label, w, checkable=True)
        a.setData(key)
        a.setChecked(key is None)
        a.setToolTip(embed_model_tip(key, label, None))  # the library's: once it is read
        a.triggered.connect(lambda _c=False, k=key: w.set_embed_model(k))
        a.triggered.connect(lambda _c=False: enable_runs(w))  # Compute embeddings' tooltip
        group.addAction(a)


def _build_keys(w: "MainWindow", acts: WindowActions) -> None:
    """The window's keys besides its actions' own: Space (Playback ▸ Play / pause)
    kept by a control that Space works, and Space, Previous and Next saying why while greyed
    (:class:`~musicsage.gui.window_keys.ControlsKeepTheirKeys`), and Esc for
    Analyse ▸ Cancel current task: a shortcut on the welcome page (its demo build) and the
    status line; elsewhere a key press nothing else took
    (:class:`~musicsage.gui.window_keys.EscCancelsTask`), since a second Esc shortcut where
    Esc clears the search box or the map's region would leave both keys dead as ambiguous;
    and Ctrl+. for it anywhere, at once (:func:`~musicsage.gui.window_keys.add_cancel_key`).
    In the training dock Esc is the dock's (:meth:`TrainingDock.keyPressEvent
    <musicsage.gui.training_dock.TrainingDock.keyPressEvent>`): it cancelled a scan there."""
    keys = ControlsKeepTheirKeys(w, playback_refusals(w))  # greyed: Space, Previous, Next
    for widget in (w, w.training):  # the dock too: floating, it is a window of its own
        widget.installEventFilter(keys)
    w.installEventFilter(EscCancelsTask(acts.cancel, w, w.map_tools.drawing))
    acts.cancel.setShortcut(QKeySequence(Qt.Key.Key_Escape))  # shown in the menu
    acts.cancel.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    for widget in (w.welcome, w.statusBar()):
        widget.addAction(acts.cancel)
    add_cancel_key(w, acts.cancel)
    nothing_queued_gives_way(w)


def _build_toolbar(w: "MainWindow", acts: WindowActions) -> None:
    tb = w.addToolBar("Main")
    tb.setObjectName("main_toolbar")
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for a in (acts.add_folder, acts.import_playlists, acts.rescan):
        tb.addAction(a)
    tb.addSeparator()
    embed_button = QToolButton(w)
    embed_button.setDefaultAction(acts.embed)
    embed_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    embed_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    embed_menu = tips_shown(QMenu("Audio model", w))
    embed_menu.addActions(acts.embed_models.actions())
    embed_button.setMenu(embed_menu)
    tb.toolButtonStyleChanged.connect(embed_button.setToolButtonStyle)
    tb.addWidget(embed_button)
    tb.addAction(acts.retrain)
    tb.addSeparator()
    for text, combo in ((" Map: ", acts.space_combo), ("  Colour by: ", acts.colour_combo)):
        label = QLabel(text, w)
        label.setBuddy(combo)  # a reader's "labelled by": on Linux its name is its choice
        FollowsEnabled(combo, label)  # greyed with its chooser: it stayed black beside it
        tb.addWidget(label)
        tb.addWidget(combo)
    tb.addAction(acts.fit)
    # Show the whole map: its frame alone beside the choosers (its tooltip names it), so the
    # texts stay on a 1024-px bar; connected after the bar's own connection, so it holds
    whole_map = tb.widgetForAction(acts.fit)
    tb.toolButtonStyleChanged.connect(
        lambda _style: whole_map.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly))
    whole_map.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    tb.installEventFilter(CompactToolbar(tb))
    tab_to_buttons(tb)
    named = NamedTips(tb)
    for button in tb.findChildren(QToolButton):
        button.installEventFilter(named)
    # the style's tint was faint; the demo banner's Back to my library too
    w.focus_rings = ring_focus(tb.findChildren(QToolButton)
                               + acts.demo_banner.findChildren(QToolButton))
    w.toolbar = tb
    w.addToolBarBreak()  # the demo's banner: a line of its own, under the toolbar
    w.addToolBar(acts.demo_banner)


def tab_to_buttons(tb: QToolBar) -> None:
    """Tab stops at the toolbar's buttons, as at its choosers: the buttons QToolBar makes for
    its actions take no focus, so that Add music folder, Import playlists, Rescan, Retrain
    and Fit were out of a keyboard's reach (Compute embeddings, a button of its own, was
    not). Tab only, not a click: a click leaves the focus on the map or the list it was on.
    The » of a crowded bar stays out: what it hides is in the menus."""
    for action in tb.actions():
        button = tb.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class NamedTips(QObject):
    """A toolbar button's tooltip names its action first ("Retrain (Ctrl+T) — Train the graph
    model…"): once :class:`CompactToolbar` has dropped the texts, the action's own tooltip
    (what it does, or why it is off) was all that said what an icon would start."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        action = getattr(watched, "defaultAction", lambda: None)()
        if event.type() != QEvent.Type.ToolTip or action is None:
            return False
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        QToolTip.showText(event.globalPos(), named_tip(action.text(), action.toolTip(), keys),
                          watched)
        return True


class CompactToolbar(QObject):
    """Drops the toolbar's button texts (icons stay, texts move to tooltips) when the
    window is too narrow for them, so that the Map and Colour-by choosers stay on the bar
    instead of behind its » overflow button; a wider window brings the texts back."""

    def __init__(self, toolbar: QToolBar) -> None:
        super().__init__(toolbar)
        self.toolbar = toolbar
        self.full_width = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            tb = self.toolbar
            if tb.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon:
                self.full_width = tb.sizeHint().width()
            style = (Qt.ToolButtonStyle.ToolButtonIconOnly if tb.width() < self.full_width
                     else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if style != tb.toolButtonStyle():
                tb.setToolButtonStyle(style)
                # the layout has placed this size's items already (Qt lays out before the
                # filters run): again, with the buttons' new sizes
                tb.layout().invalidate()
                tb.layout().setGeometry(tb.rect())
        return False


def _build_menus(w: "MainWindow", acts: WindowActions) -> None:
    mb = w.menuBar()
    m = tips_shown(mb.addMenu("&File"))
    m.addActions([acts.add_folder, acts.import_playlists, acts.rescan, acts.watch_folders])
    m.addMenu(acts.remove_folder)
    acts.remove_folder.aboutToShow.connect(lambda: _fill_remove_folder(w, acts.remove_folder))
    add_remove_missing(w, m, acts.remove_folder.menuAction())  # gui/remove_missing.py
    m.addSeparator()
    m.addAction(acts.demo)
    m.addAction(acts.home)
    m.addSeparator()
    m.addAction(acts.quit)
    m = tips_shown(mb.addMenu("&Analyse"))
    m.addAction(acts.embed)
    tips_shown(m.addMenu("Audio model")).addActions(acts.embed_models.actions())
    m.addAction(acts.retrain)
    m.addMenu(acts.graph_models)
    acts.graph_models.aboutToShow.connect(lambda: fill_graph_models(w, acts.graph_models))
    m.aboutToShow.connect(lambda: enable_graph_models(w, acts.graph_models))
    m.addAction(acts.recompute_map)
    m.addSeparator()
    m.addAction(acts.cancel)
    m = tips_shown(mb.addMenu("&View"))
    add_find(w, m)  # Ctrl+F
    m.addSeparator()
    choice_menu(m, "Map", acts.space_combo)  # the toolbar's name for it
    choice_menu(m, "Colour by", acts.colour_combo)
    m.addAction(acts.fit)
    m.addAction(acts.play_on_select)
    m.addAction(w.training.toggleViewAction())
    build_playback_menu(w)  # gui/window_keys.py
    about = build_help_menu(w).addAction("About musicsage")
    about.setToolTip("The version, the library in use and where the documentation is")
    about.triggered.connect(lambda _checked=False: show_about(w))


def _build_demo_banner(w: "MainWindow", home: QAction) -> tuple[QToolBar, QLabel]:
    """The line under the toolbar that says the demo is shown, with the way back: only the
    window title's path said so, and only adding music or a restart brought a user's own
    library back. A toolbar of its own, so it spans the window on every page."""
    bar = QToolBar("Demo library", w)
    bar.setObjectName("demo_banner")
    bar.setMovable(False)
    bar.toggleViewAction().setVisible(False)  # not a toolbar to hide from the context menu
    bar.setStyleSheet(demo_banner_style(w.palette()))  # set again for a new theme: FollowTheme
    text = QLabel(w)
    text.setContentsMargins(6, 0, 6, 0)
    bar.addWidget(text)
    button = QToolButton(w)
    button.setDefaultAction(home)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.addWidget(button)
    bar.hide()  # placed under the main toolbar by _build_toolbar
    return bar, text


def connect_demo_banner(w: "MainWindow") -> None:
    """Keep the banner, File ▸ Back to my library and the title on the library shown. Called
    after the window's saved state is restored (it may bring the banner back) and after the
    other connections (the title they set on a switch is replaced here for the demo)."""
    w.app.context_changed.connect(lambda _ctx: show_which_library(w))
    w.app.library.loaded.connect(lambda _snap: show_which_library(w))
    show_which_library(w)


def show_which_library(w: "MainWindow") -> None:
    """The banner while the demo is shown (the controller's words), the way back while the
    window's own library is elsewhere, and "Demo library" in the title."""
    acts, demo = w.actions_, w.app.demo
    text = demo.banner
    acts.demo_banner_text.setText(text)
    acts.demo_banner.setVisible(bool(text))
    acts.home.setVisible(demo.can_go_home)
    acts.home.setToolTip(f"Show your own library again ({w.app.home_ctx.data_dir})")
    if text:
        w.setWindowTitle("musicsage — Demo library")


def _fill_remove_folder(w: "MainWindow", menu: QMenu) -> None:
    """One entry per music folder of the library, with its track count (read as it opens)."""
    menu.clear()
    folders = w.app.library.folders()
    for folder, tracks in folders:
        a = menu.addAction(menu_text(f"{printable(folder)}  ({counted(tracks, 'track')})"))
        a.triggered.connect(lambda _c=False, f=folder, n=tracks: w.ask_remove_folder(f, n))
    if not folders:
        menu.addAction("No music folders yet").setEnabled(False)


@dataclass
class StatusLine:
    """The permanent widgets of the status bar that follow the long task."""

    task: QLabel
    progress: QProgressBar
    cancel: QToolButton


def build_status_bar(w: "MainWindow") -> StatusLine:
    line = StatusLine(QLabel(w), QProgressBar(w), QToolButton(w))
    line.task.setMinimumWidth(1)  # cut at the window's edge: its whole width widened the window
    line.progress.setMaximumWidth(220)
    line.progress.setMaximumHeight(16)
    line.progress.hide()
    line.cancel.setText("Cancel")
    line.cancel.setToolTip(f"Cancel the running task ({cancel_keys_text()})")
    line.cancel.clicked.connect(w.app.tasks.cancel)
    line.cancel.hide()
    for widget in (line.task, line.progress, line.cancel):
        w.statusBar().addPermanentWidget(widget)
    # a long note (a path, then what to do about it) is cut at the window's edge: hovering
    # the bar shows it whole while it is shown
    bar = w.statusBar()  # (a bound C++ setter as the slot made PySide print a warning)
    bar.messageChanged.connect(lambda text: bar.setToolTip(text))
    return line
