"""The toolbar's Map and Colour by choosers are labelled for a screen reader: on Linux Qt
gives a combo box's current choice as its name ("Graph model", "Genre tag"), and what it
chooses comes from the label beside it only when the label is its buddy (the accessible
"labelled by" relation). Without it a reader said "Graph model, combo box", not of what."""

from __future__ import annotations

from PySide6.QtGui import QAccessible


def _labels(widget) -> list[str]:
    interface = QAccessible.queryAccessibleInterface(widget)
    return [other.text(QAccessible.Text.Name).strip(" :")
            for other, _kind in interface.relations(QAccessible.RelationFlag.Label)]


def test_the_map_and_colour_choosers_are_labelled(qtbot, make_window, library):
    w = make_window(library)
    assert _labels(w.space_combo) == ["Map"]
    assert _labels(w.colour_combo) == ["Colour by"]
