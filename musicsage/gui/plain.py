"""Tooltips that show tags as written.

Qt guesses whether a tooltip is markup (``Qt.mightBeRichText``: a tag-like start such as
``<i>``), so a track titled ``"<i>Hello</i> <3"`` had its tooltip drawn in italics and cut at
``<3``. Labels are told outright (``setTextFormat(PlainText)``); a tooltip has no such switch,
so one that would be guessed as markup is escaped and marked as rich text instead, which
shows the same characters. Every other tooltip is passed on unchanged.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QMenu


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows exactly those characters (line breaks kept)."""
    if not Qt.mightBeRichText(text):
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def tips_shown(menu: QMenu) -> QMenu:
    """``menu``, showing its actions' tooltips: a QMenu shows none unless told to, so the
    Graph model entries' tooltips (why a model is damaged, what it scored) never appeared.
    Only tooltips set on purpose show; an action without one shows nothing."""
    menu.setToolTipsVisible(True)
    return menu
