"""The map from the keyboard: with the map focused, + (or =) and − zoom, the arrow keys pan,
0 or Home shows the whole map, R makes the tracks in view a region (as a Rectangle drawn round
the whole view would: zoom and pan onto them first). Only a mouse could zoom or pan it before
(the wheel, a drag), and only a mouse could draw a region (Lasso, Rectangle).

Attached by the window as the map's tools are (``MapKeys(map_view)``): an event filter on
the map's plot, ahead of pyqtgraph's view, which handed every key to its scene (where the
view box took + and − for a history of mouse-drawn zooms only). A key zoom or pan counts as
the user's, as a wheel turn does: the map stops refitting itself on a resize until Fit
(Ctrl+0, or 0 here) is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt

from musicsage.gui.map_tools import MapTools

if TYPE_CHECKING:
    from musicsage.gui.map_view import MapView

ZOOM_STEP = 1.25
"""How much one press of + or − magnifies or shrinks the map."""
PAN_STEP = 0.1
"""How far one arrow press moves the map: this share of what the map shows."""
K = Qt.Key
ZOOM_IN, ZOOM_OUT = (K.Key_Plus, K.Key_Equal), (K.Key_Minus, K.Key_Underscore)
FIT = (K.Key_0, K.Key_Home)
REGION = (K.Key_R,)
"""The region key: the map's tools (:class:`~musicsage.gui.map_tools.MapTools`) get the view's
rectangle, as if drawn with Rectangle round it; Play in order, Save, Clear and Esc then work."""
PAN = {K.Key_Left: (-1, 0), K.Key_Right: (1, 0), K.Key_Up: (0, 1), K.Key_Down: (0, -1)}
MAP_KEYS = (("+ or =", "Zoom in"), ("−", "Zoom out"), ("← ↑ → ↓", "Pan"),
            ("0 or Home", "Show the whole map"), ("R", "Make the tracks in view a region"))
"""The keys as the map's description and Help ▸ Keyboard shortcuts name them."""
KEYS_SENTENCE = ("With the map focused, " + ", ".join(
    f"{key} {what.lower()}" for key, what in MAP_KEYS) + ".")
ANY_KEYPAD = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
"""What may be held with a map key: Shift (+ is Shift+= on many keyboards), the keypad."""


class MapKeys(QObject):
    """Zoom, pan and fit keys of a :class:`MapView`; installed on its plot, the focus
    widget of the map. It adds the keys to the map's accessible description."""

    def __init__(self, map_view: "MapView") -> None:
        super().__init__(map_view)
        self.map = map_view
        for widget in (map_view, map_view.plot):
            widget.setAccessibleDescription(
                f"{widget.accessibleDescription()} {KEYS_SENTENCE}".strip())
        map_view.plot.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (event.type() != QEvent.Type.KeyPress or event.modifiers() & ~ANY_KEYPAD
                or not len(self.map.xy)):
            return False
        return self.press(event.key())

    def press(self, key: int) -> bool:
        """Act on ``key``; False for a key that is not the map's (it goes on as before)."""
        view = self.map.view
        if key in FIT:
            self.map.fit()
            return True
        if key in REGION:
            return self._region_in_view()
        if key in ZOOM_IN or key in ZOOM_OUT:
            scale = 1 / ZOOM_STEP if key in ZOOM_IN else ZOOM_STEP
            view.scaleBy(s=(scale, scale))
        elif key in PAN:
            (x0, x1), (y0, y1) = view.viewRange()
            dx, dy = PAN[key]
            view.translateBy(x=dx * PAN_STEP * (x1 - x0), y=dy * PAN_STEP * (y1 - y0))
        else:
            return False
        view.sigRangeChangedManually.emit([True, True])  # as a wheel turn: no more refits
        return True

    def _region_in_view(self) -> bool:
        """The tracks the map shows become the region: what a keyboard can do in place of a
        Rectangle drawn with the mouse. False without the map's tools (the key goes on)."""
        tools = self.map.findChild(MapTools)
        if tools is None:
            return False
        (x0, x1), (y0, y1) = self.map.view.viewRange()
        tools.view_chosen.emit([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        return True
