"""A control's own tooltip, and the reason it is off shown in its place.

A greyed control says why in its tooltip ("The library is being opened: wait a moment"), and
gets its own tooltip (what it does) back when it comes on. The own tooltip is kept in a Qt
property, taken the first time a reason is shown: a tooltip read while a reason was shown was
once kept as the control's own, and "Colour by" said "being opened" for the whole session.
Every control that shows such reasons (the library's actions, the player bar's buttons, a
menu entry following its button) keeps its own tooltip here, in one way.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

NO_TRACK_TIP = "Select a track first: Play similar starts a radio from it"
"""Play similar's reason it is off, on its button and its Playback menu entry alike."""


def own_tip(control: QObject) -> str:
    """``control``'s own tooltip (what it does), whatever it shows for now."""
    own = control.property("own_tip")
    if own is None:
        own = control.toolTip()
        control.setProperty("own_tip", own)
    return own


def tip_unless(control: QObject, why: str | None) -> None:
    """``why`` (it is off, or cannot do anything now) as ``control``'s tooltip, else its own."""
    own = own_tip(control)
    control.setProperty("why_tip", why or None)
    control.setToolTip(why or own)


def set_own_tip(control: QObject, tip: str) -> None:
    """A new own tooltip for ``control`` (Colour by's note on what the map shows), shown at
    once unless a reason it is off is shown; then once that reason goes."""
    control.setProperty("own_tip", tip)
    control.setToolTip(control.property("why_tip") or tip)
