"""The main window's remembered layout and choices (QSettings), restored and saved."""

from __future__ import annotations

import contextlib
import errno
import filecmp
import logging
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QScreen

from musicsage.context import library_key
from musicsage.controllers.map import DEFAULT_COLOUR
from musicsage.gui.explore_wiring import TABS
from musicsage.gui.opening_page import own_tip, set_own_tip
from musicsage.gui.playlist_list import ID_ROLE
from musicsage.gui.window_size import first_window_rect, fitted, saved_normal_geometry, too_small

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow
    from musicsage.usecases.snapshot import LibrarySnapshot

log = logging.getLogger(__name__)

_UNSAVED_SAID: "weakref.WeakSet[MainWindow]" = weakref.WeakSet()
"""Windows whose settings could not be saved and that have said so (once a session)."""

LIBRARY_WIDTH = (200, 250)
"""The library panel: its share of a small and of a large window."""
LISTS_SHARE = 0.46
"""Of the window's width, what the lists panel gets at first: the lists are read, the map is
looked at (at 1400 px, each list gets ~310 px: room for a title and its artist)."""


def first_splitter_sizes(width: int) -> list[int]:
    """Library, map and lists widths for a first window ``width`` wide."""
    library = LIBRARY_WIDTH[0] if width < 1600 else LIBRARY_WIDTH[1]
    lists = int(width * LISTS_SHARE)
    return [library, max(300, width - library - lists), lists]


def _bytes(value) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _int(value) -> int | None:
    """A saved number, or None (the default kept) for one the file does not hold as a whole
    number a Qt box takes: a settings file edited by hand ("ten", "") made ``int()`` raise,
    and the window did not open."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -2**31 <= number < 2**31 else None


def restored_screen(w: "MainWindow") -> QScreen:
    """The screen a restored geometry puts the window on: the one under its centre (else the
    window's). The window's screen asked before the geometry was restored is the primary
    one, and a window left on a second monitor was moved onto the first at every launch."""
    return QGuiApplication.screenAt(w.geometry().center()) or w.screen()


def restore_geometry(w: "MainWindow", geometry: QByteArray | None) -> None:
    """The size and place the user left, fitted to the screen there is now. Where Qt refuses
    the saved bytes (another screen size: :func:`saved_normal_geometry`) the size is kept all
    the same; bytes cut short or garbled (Qt "restored" them as a 1×1 window), or none
    saved, give the first window's. A size Qt restored under
    :data:`~musicsage.gui.window_size.SMALLEST` (it read another rect than the normal one,
    700×0) gives the normal rect read here, where that one is sound (it gave the first size)."""
    saved = saved_normal_geometry(geometry) if geometry is not None else None
    if (saved is not None and w.restoreGeometry(geometry)
            and not too_small(w.geometry().size())):
        w.setGeometry(fitted(w.geometry(), restored_screen(w).availableGeometry()))
        return
    if saved is None:
        w.setGeometry(first_window_rect(w.screen().availableGeometry()))
    else:
        rect, maximized = saved
        screen = QGuiApplication.screenAt(rect.center()) or w.screen()
        w.setGeometry(fitted(rect, screen.availableGeometry()))
        if maximized:
            w.setWindowState(w.windowState() | Qt.WindowState.WindowMaximized)


def restore_settings(w: "MainWindow") -> None:
    """Window geometry and docks, splitters, map choices, list length, playback, audio model,
    the folder watch, and the session: the lists' tab, the selected track, the chosen
    playlist, the training dock."""
    s = w.settings
    if w.persist_settings:  # (a --screenshot run writes nothing: nothing to keep)
        keep_unreadable_settings(w)
    restore_geometry(w, _bytes(s.value("window/geometry")))
    state = _bytes(s.value("window/state"))
    if state is not None:
        w.restoreState(state)
        w.training.hide()
    for key, splitter in (("window/splitter", w.splitter),
                          ("window/library_splitter", w.library.splitter)):
        sizes = _bytes(s.value(key))
        if sizes is not None:
            splitter.restoreState(sizes)
    value = s.value("view/space")
    i = w.space_combo.findData(value) if value is not None else -1
    if i >= 0:
        w.space_combo.setCurrentIndex(i)
    restore_colour_choice(w)
    w.app.map.preferred_space = w.space_combo.currentData()
    k = _int(s.value("view/k"))
    if k is not None:
        w.neighbours.k_spin.setValue(k)
    own = _int(s.value("view/suggestions_k"))
    k = k if own is None else own  # before it had its own: the shared count
    if k is not None:
        w.suggestions.k_spin.setValue(k)
    play = s.value("view/play_on_select")
    if play is not None:
        w.actions_.play_on_select.setChecked(_true(play))
    vol = _int(s.value("player/volume"))
    if vol is not None:
        w.player.volume.setValue(vol)
    watch = s.value("watch/enabled")
    action = w.actions_.watch_folders
    action.blockSignals(True)  # restoring is not toggling: nothing to start or save yet
    action.setChecked(watch is None or _true(watch))
    action.blockSignals(False)
    w.app.watch.enabled = action.isChecked()
    model = s.value("analysis/embed_model")
    if model:
        for a in w.actions_.embed_models.actions():
            if a.data() == model:
                a.setChecked(True)
                w.app.library.embed_model = model
    restore_session(w)


@dataclass(frozen=True)
class Session:
    """What the window showed at its last close, to show again once the library is read."""

    library: str
    """The library (its data dir) the track and the playlist were chosen in."""
    track: int | None = None
    playlist: str = ""
    """The chosen playlist's stored path: its id is kept by a rescan, but a removed
    playlist's id may be given to the next one imported (SQLite reuses the highest)."""
    dock: bool = False
    """The training dock was open."""

    @property
    def empty(self) -> bool:
        return self.track is None and not self.playlist and not self.dock


def _true(value) -> bool:
    return str(value).lower() in ("true", "1")


LEGACY_SESSION = "session"
"""The one session slot of versions before sessions were kept per library."""


def session_group(data_dir: str | os.PathLike[str]) -> str:
    """The settings group of the session of the library at ``data_dir``, named by its
    resolved path: with one slot for all, two windows on two libraries wiped each other's."""
    return f"sessions/{library_key(data_dir)}"


def _legacy_for(s: QSettings, data_dir: str | os.PathLike[str]) -> bool:
    """The old one slot is this library's (or names none: the training dock alone)."""
    named = s.value(f"{LEGACY_SESSION}/library")
    return named is None or library_key(str(named)) == library_key(data_dir)


def saved_session(s: QSettings, data_dir: str | os.PathLike[str]) -> Session:
    """The session saved for the library at ``data_dir``; none saved yet, the old one slot
    (its track and playlist only restored in the library it names: :func:`restore_loaded`),
    so that a session saved before the upgrade is not lost. The next save of the library it
    names drops it."""
    group = session_group(data_dir)
    if not s.contains(f"{group}/training_dock"):  # always saved: nothing saved here yet
        group = LEGACY_SESSION
    library = s.value(f"{group}/library")
    track = str(s.value(f"{group}/track", ""))
    return Session(str(library) if library is not None else "",
                   int(track) if track.isdecimal() else None,
                   str(s.value(f"{group}/playlist", "") or ""),
                   _true(s.value(f"{group}/training_dock", False)))


def restore_session(w: "MainWindow") -> None:
    """The lists' tab, the selected track, the chosen playlist and the training dock, as the
    window was closed: a restart forgot them. Once the library is read, the track is selected
    (not played) and the playlist chosen (its tracks outlined, its suggestions listed, the
    tab kept) if each is still in the library it was chosen in and the window shows that
    library; the dock opens again if there is a model to show in it (with none it says only
    "press Retrain"). Else nothing, without a word."""
    if not w.persist_settings:  # a --screenshot run shows the library as given
        return
    index = TABS.get(str(w.settings.value("view/tab", "")), -1)
    if index >= 0:
        w.right.setCurrentIndex(index)
    # (restore_loaded leaves another library's choices)
    session = saved_session(w.settings, w.app.ctx.data_dir)
    if session.empty:
        return
    pending = [session]

    def loaded(snap) -> None:
        if pending:
            restore_loaded(w, pending.pop(), snap)

    w.app.library.loaded.connect(loaded)


def restore_loaded(w: "MainWindow", session: Session, snap: "LibrarySnapshot") -> None:
    """:func:`restore_session`'s second half, on the first library read."""
    if str(w.app.ctx.data_dir) == session.library:  # (not the demo, opened meanwhile)
        if (session.track is not None and w.app.selection.selected is None
                and session.track in snap.by_id):
            w.app.selection.select(session.track, play=False)
        playlist = next((p for p in snap.playlists if p.path == session.playlist), None)
        if playlist is not None and w.library.current_playlist() is None:
            choose_playlist(w, playlist.id)
    if session.dock and snap.stats.graph_model:
        w.show_training_dock()


def choose_playlist(w: "MainWindow", playlist_id: int) -> None:
    """Choose the playlist's row as a click does, but keep the lists' tab: a click turns to
    Suggestions, which would undo the tab restored."""
    rows = w.library.playlists
    row = next((rows.item(i) for i in range(rows.count())
                if rows.item(i).data(ID_ROLE) == playlist_id), None)
    if row is None:
        return
    tab = w.right.currentIndex()
    rows.setCurrentItem(row)
    rows.scrollToItem(row)
    w.right.setCurrentIndex(tab)


def restore_colour_choice(w: "MainWindow") -> None:
    """The colouring the user chose in an earlier session, kept whatever the library holds;
    none chosen, the map controller picks it (genre tags, or what the library has instead),
    and the chooser follows it without that counting as a choice. Versions before saved the
    chooser as it stood ("view/colour_by"), so their "Genre tag" is the default, not a choice:
    it would have kept a library without genre tags one colour for good."""
    s, combo = w.settings, w.colour_combo
    chosen = s.value("view/colour_choice")
    if chosen is None:
        legacy = s.value("view/colour_by")
        chosen = legacy if legacy != DEFAULT_COLOUR else None
    if chosen and combo.findData(chosen) >= 0:
        w.app.map.colour_choice = str(chosen)
        combo.setCurrentIndex(combo.findData(chosen))
    plain = own_tip(combo)  # not its tooltip now: "being opened" while the library is read

    def show(key: str, note: str) -> None:
        i = combo.findData(key)
        if i >= 0 and i != combo.currentIndex():
            combo.blockSignals(True)  # what the map shows, not the user's choice
            combo.setCurrentIndex(i)
            combo.blockSignals(False)
        set_own_tip(combo, f"{plain}. {note}" if note else plain)  # the tip while it is on

    w.app.map.colour_shown.connect(show)


def save_settings(w: "MainWindow") -> None:
    s = w.settings
    s.setValue("window/geometry", w.saveGeometry())
    s.setValue("window/state", w.saveState())
    if w.splitter.isVisible():  # hidden (another page shown), its sizes are squeezed: see
        s.setValue("window/splitter", w.splitter.saveState())  # PanelWidths.save
    if w.library.splitter.isVisible():
        s.setValue("window/library_splitter", w.library.splitter.saveState())
    s.setValue("view/space", w.app.map.preferred_space)
    s.setValue("view/colour_choice", w.app.map.colour_choice or "")
    s.setValue("view/k", w.neighbours.k)
    s.setValue("view/suggestions_k", w.suggestions.k_spin.value())
    s.setValue("view/play_on_select", w.actions_.play_on_select.isChecked())
    s.setValue("player/volume", w.player.volume.value())
    tab = w.right.currentIndex()
    s.setValue("view/tab", next((name for name, i in TABS.items() if i == tab), ""))
    save_session(w)
    save_watch_settings(w)


def save_session(w: "MainWindow") -> None:
    """The selected track, the chosen playlist (by its path) and whether the training dock
    is open, for :func:`restore_session`. A window closed before its library was read (a
    logout right after an autostart: SIGTERM closes it as its close button does) restored
    nothing yet, so it keeps the session saved before instead of writing an empty one."""
    s, track, snap = w.settings, w.app.selection.selected, w.app.library.snapshot
    if snap is None:
        return
    info = snap.playlist(w.library.current_playlist())
    playlist = info.path if info is not None else None
    group = session_group(w.app.ctx.data_dir)
    for key, value in (("track", None if track is None else int(track)),
                       ("playlist", playlist)):
        if value is None:
            s.remove(f"{group}/{key}")
        else:
            s.setValue(f"{group}/{key}", value)
    if track is not None or playlist is not None:
        s.setValue(f"{group}/library", str(w.app.ctx.data_dir))
    s.setValue(f"{group}/training_dock", w.training.isVisible())
    if _legacy_for(s, w.app.ctx.data_dir):  # read once: this library's own slot has it now
        s.remove(LEGACY_SESSION)


def save_watch_settings(w: "MainWindow") -> None:
    """The folder watch's setting (on by default) and the folders it watches, kept for the
    next launch as soon as they change."""
    s = w.settings
    s.setValue("watch/enabled", w.actions_.watch_folders.isChecked())
    if w.app.watch.folders:
        s.setValue("watch/folders", list(w.app.watch.folders))
    s.sync()
    # A FormatError is the read's (sticky): Qt wrote the file anew all the same, and the
    # file as it was is kept aside (keep_unreadable_settings), so it is no failure to save.
    if s.status() == QSettings.Status.AccessError and w not in _UNSAVED_SAID:
        # said once: every later save (each watch change, the close) fails the same way
        _UNSAVED_SAID.add(w)
        text = unsaved_settings_words(s.fileName())
        log.warning(text)
        w.app.notify(text, "warning")


UNREADABLE_SUFFIX = ".unreadable"
"""The copy of a settings file Qt could not read, kept beside it (as the demo keeps an
unreadable ``demo-state.json``)."""


def keep_unreadable_settings(w: "MainWindow") -> None:
    """A settings file Qt cannot read as settings (garbage bytes, another program's file, a
    line it does not parse; bytes that are not UTF-8 text, which Qt reads without complaint
    but writes back changed) is copied aside before anything is written: Qt reads what it can
    and, at the first save, writes the file anew from that, and the file as it was was lost
    while the window said "not saved ... move it aside". One line says where the copy is;
    the values that did not read are the defaults. With no copy made the window saves
    nothing this session (the file left as it is)."""
    s = w.settings
    path = s.fileName()
    garbled = _not_settings_text(path)  # its bytes before Qt reads them
    s.allKeys()  # Qt reads the file when first asked; its status is that read's
    damaged = garbled or s.status() == QSettings.Status.FormatError
    if not damaged or not os.path.isfile(path):
        return
    try:
        kept = _kept_copy(path)
    except OSError as e:
        w.persist_settings = False
        text = (f"Window settings in {path} could not all be read and no copy could be kept "
                f"({e.strerror}): the file is left as it is, and this session's layout and "
                "choices are not saved")
    else:
        text = (f"Window settings in {path} could not all be read: the file is kept as "
                f"{kept}; what did not read is back to its default")
    log.warning(text)
    w.app.notify(text, "warning")


def _not_settings_text(path: str) -> bool:
    """The file's bytes are not UTF-8 text, or hold a NUL: Qt reads such a file without a
    FormatError and writes it back changed (``\\x00\\xff`` as ``%00%UFFFD``), so without
    this the file as it was was lost with no copy kept. A file that cannot be read is not
    called garbled here (Qt's own status says why)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in data


def _kept_copy(path: str) -> str:
    """``path`` copied to a free ``path.unreadable`` (``-2``, ``-3`` …), or the name of a copy
    already holding the same bytes (a launch that wrote nothing keeps no second copy)."""
    for n in range(1, 100):
        kept = path + UNREADABLE_SUFFIX + ("" if n == 1 else f"-{n}")
        if not os.path.lexists(kept):
            try:
                shutil.copy2(path, kept)
            except OSError:
                with contextlib.suppress(OSError):  # a copy cut short (a full disk): ours
                    os.unlink(kept)
                raise
            return kept
        if os.path.isfile(kept) and filecmp.cmp(path, kept, shallow=False):
            return kept
    raise OSError(errno.EEXIST, "too many copies kept already", path)


_ACCESS_ERRORS = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR)
_SPACE_ERRORS = (errno.ENOSPC, errno.EDQUOT)


def unsaved_settings_words(path: str) -> str:
    """Why the settings file could not be written, in the user's terms: QSettings only says
    "access error", which a full disk gives as well as a read-only folder. A small file
    written beside it (and removed) finds which, so a full disk is not called unwritable."""
    unwritable = (f"Window settings not saved to {path}: make it writable to keep the layout "
                  "and choices")
    if os.path.exists(path) and not os.access(path, os.R_OK):  # nothing was restored either
        return (f"Window settings in {path} cannot be read or saved: make it readable and "
                "writable by you to keep the layout and choices")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return unwritable  # the file itself is read-only: no probe needed
    folder = os.path.dirname(path) or "."
    while not os.path.lexists(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)  # QSettings makes the missing folders
    problem = _write_problem(folder)
    if problem is None or problem.errno in _ACCESS_ERRORS:
        return unwritable
    if problem.errno in _SPACE_ERRORS:
        return (f"Window settings not saved to {path}: the disk is full or over quota; free "
                "some space to keep the layout and choices")
    return (f"Window settings not saved to {path}: writing there fails ({problem.strerror}); "
            "the layout and choices are not kept")


def _write_problem(folder: str) -> OSError | None:
    """The error writing a settings-sized file in ``folder`` gives, or None."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".musicsage-probe-", dir=folder)
    except OSError as e:
        return e
    try:
        os.write(fd, b"\n" * 4096)
        os.fsync(fd)
    except OSError as e:
        return e
    finally:
        os.close(fd)
        os.unlink(probe)  # the probe this function made
    return None
