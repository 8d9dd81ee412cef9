"""Access letters for the entries of the menu bar's menus: File ▸ Rescan had none (nor any entry
of any menu), so a keyboard user who opened a menu with Alt+F could only walk it with the
arrows; a letter pressed there did nothing. Now each entry has a letter of its own in its menu
(a word's first letter where it is free, else another of its letters), underlined while the
menu is shown, and pressing it chooses the entry, as in other desktop applications.

The letters are given as a menu is shown and taken back as it hides (before the chosen entry
is triggered): an entry's action is the toolbar's button and Help ▸ Keyboard shortcuts' row
too, where its text stays as written. A menu filled from the user's data (the music folders,
the graph models) keeps its entries as they are: there a letter would come from a folder's
or a model's name, and pressing it could ask to remove a folder.

The rows' context menus (the track lists', the playlists', the playlist's) and the Save…
buttons' menus had no letters either: :func:`lettered` gives them theirs the same way.
"""

from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar


def _letters(text: str) -> list[tuple[int, str]]:
    """The places of ``text``'s letters and digits a mark may go before (a doubled "&&" is
    a literal "&"), with the letter, lower-cased: words' first letters first, then the other
    letters, digits last ("Remove 12 from playlist" got the 1: a digit is no letter a user
    looks for in a menu)."""
    starts, others, digits, i, word_start = [], [], [], 0, True
    while i < len(text):
        ch = text[i]
        if ch == "&":  # "&&": a literal "&", not a mark (one mark already: see access_letter)
            i, word_start = i + 2, True
            continue
        if ch.isascii() and ch.isalnum():
            (digits if ch.isdigit() else starts if word_start else others).append((i, ch.lower()))
        word_start = not ch.isalnum()
        i += 1
    return starts + others + digits


def access_letter(text: str) -> str:
    """The letter ``text`` marks with a lone "&" ("Re&scan" → "s"), or ""."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return ""


def with_letters(texts: list[str], section_starts: Iterable[int] = ()) -> list[str]:
    """``texts`` (one menu's entries) with an access letter each, none shared: a letter an
    entry marks already is kept; then each entry whose first letter is free gets it (in the
    entries' order), and the others a free one of theirs (:func:`_letters`). An entry with no
    free letter is left without one.

    Section by section (``section_starts``: where each section after a separator begins):
    a section's entries take their letters before the next section's, so a section added
    below (the Playlist tab's "Remove from playlist") leaves the letters of the entries above
    as in every other list's menu ("Play similar (radio)" keeps R; Remove gets F)."""
    taken = {access_letter(t) for t in texts} - {""}
    marks: dict[int, int] = {}  # an entry's place in ``texts``: where its mark goes
    bounds = [0, *sorted(section_starts), len(texts)]
    for start, end in zip(bounds, bounds[1:]):
        for first_only in (True, False):
            for n in range(start, end):
                if access_letter(texts[n]) or n in marks:
                    continue
                places = _letters(texts[n])[:1] if first_only else _letters(texts[n])
                free = next(((i, c) for i, c in places if c not in taken), None)
                if free is not None:
                    taken.add(free[1])
                    marks[n] = free[0]
    return [f"{t[:marks[n]]}&{t[marks[n]:]}" if n in marks else t for n, t in enumerate(texts)]


def _section_starts(menu: QMenu) -> list[int]:
    """Where each of ``menu``'s sections after a separator begins, counted in its entries
    (separators left out), for :func:`with_letters`."""
    starts, entries = [], 0
    for action in menu.actions():
        if action.isSeparator():
            starts.append(entries)
        else:
            entries += 1
    return starts


class AccessLetters(QObject):
    """Gives menu entries their letters while their menu is shown, and takes them back as it
    hides. ``owner`` is a menu bar (its menus and their submenus are lettered, but those
    ``left_alone`` names) or a single menu, such as a context menu (it and its submenus are
    lettered). The helper is owned by ``owner`` and goes with it."""

    def __init__(self, owner: QMenuBar | QMenu,
                 left_alone: Callable[[], Iterable[QMenu]] = lambda: ()) -> None:
        super().__init__(owner)
        self.left_alone = left_alone
        self.given: dict[QAction, tuple[str, str]] = {}
        """An entry lettered now: its text as written, and as lettered."""
        menus = [owner] if isinstance(owner, QMenu) else [a.menu() for a in owner.actions()]
        for menu in menus:
            if menu is not None:
                menu.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if isinstance(watched, QMenu) and event.type() == QEvent.Type.Show:
            self._give(watched)
        elif isinstance(watched, QMenu) and event.type() == QEvent.Type.Hide:
            self._take_back(watched)
        return False

    def _give(self, menu: QMenu) -> None:
        entries = [a for a in menu.actions() if not a.isSeparator()]
        for action in entries:  # a submenu is lettered as it opens, by the same filter
            if action.menu() is not None:
                action.menu().installEventFilter(self)
        if any(menu is m for m in self.left_alone()):
            return
        texts = with_letters([a.text() for a in entries], _section_starts(menu))
        for action, text in zip(entries, texts):
            if text != action.text():
                self.given[action] = (action.text(), text)
                action.setText(text)

    def _take_back(self, menu: QMenu) -> None:
        for action in menu.actions():
            written, lettered = self.given.pop(action, (None, None))
            if written is not None and action.text() == lettered:  # else changed since
                action.setText(written)


def lettered(menu: QMenu) -> QMenu:
    """``menu`` (a context menu, a button's menu), whose entries get their letters while it
    is shown (entries added after this call too): the rows' menus had none, so a keyboard
    user who opened one with the Menu key could only walk it with the arrows."""
    AccessLetters(menu)
    return menu


def run_once(menu: QMenu, global_pos: QPoint) -> None:
    """Show a row's menu, made anew for each opening, until it closes, then free it: kept, each
    with its letters, by its list, every opening added one more."""
    menu.exec(global_pos)
    menu.deleteLater()
