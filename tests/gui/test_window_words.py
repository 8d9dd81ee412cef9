"""The window's names and signs, as a user reads them: toolbar icons that are not a player's
controls and buttons that say what they do on hover, map colours told apart, menus that tick
the choice in use, plain-word tooltips for the evaluation's HR@10 and MRR, Help ▸ About."""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMenu, QToolButton, QToolTip

import musicsage
from musicsage.controllers.wording import about_html, eval_column_tip, named_tip
from musicsage.gui.map_view import OTHER_COLOUR, PALETTE
from musicsage.gui.window_wiring import choice_menu


def _lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB ``#rrggbb``."""
    c = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ linear / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_map_colours_are_told_apart():
    """The palette had a light grey next to the grey of "other" and a mauve 9 CIEDE2000 from
    a pink (ΔE76 18): every colour now has a hue (no grey) and stands apart from every other
    one and from "other" (CIEDE2000 15 and more: the note in gui/map_view.py)."""
    labs = {c: _lab(c) for c in PALETTE}
    assert len(set(PALETTE)) == len(PALETTE) == 12
    assert min(np.hypot(lab[1], lab[2]) for lab in labs.values()) >= 25, "a grey"
    closest = min(np.linalg.norm(labs[a] - labs[b]) for a, b in itertools.combinations(labs, 2))
    assert closest >= 22
    assert min(np.linalg.norm(lab - _lab(OTHER_COLOUR)) for lab in labs.values()) >= 30


def test_a_choice_menu_ticks_what_its_combo_shows(qtbot):
    """View ▸ Map space / Colour by ticked nothing: now one tick, the combo's, both ways —
    also when the window sets the combo without a signal (the space the map falls back to)."""
    combo = QComboBox()
    qtbot.addWidget(combo)
    for key, label in (("graph", "Graph model"), ("audio", "Audio only")):
        combo.addItem(label, key)
    parent = QMenu()
    menu = choice_menu(parent, "Map space", combo)
    actions = menu.actions()
    assert [a.text() for a in actions] == ["Graph model", "Audio only"]
    assert [a.isChecked() for a in actions] == [True, False]
    actions[1].trigger()
    assert combo.currentIndex() == 1 and [a.isChecked() for a in actions] == [False, True]
    combo.setCurrentIndex(0)
    assert [a.isChecked() for a in actions] == [True, False]
    combo.blockSignals(True)  # the window's own setting: no signal
    combo.setCurrentIndex(1)
    combo.blockSignals(False)
    combo.model().item(0).setEnabled(False)  # no graph model yet
    menu.aboutToShow.emit()
    assert [a.isChecked() for a in actions] == [False, True] and not actions[0].isEnabled()
    combo.currentIndexChanged.connect(  # a choice the combo goes back on
        lambda i: i == 0 and (combo.blockSignals(True), combo.setCurrentIndex(1),
                              combo.blockSignals(False)))
    combo.model().item(0).setEnabled(True)
    actions[0].trigger()
    assert combo.currentIndex() == 1 and [a.isChecked() for a in actions] == [False, True]
    combo.setEnabled(False)
    parent.aboutToShow.emit()
    assert not menu.menuAction().isEnabled()


def test_the_words_of_tips_and_about():
    assert named_tip("Add music folder…", "Scan a folder", "Ctrl+O") == \
        "Add music folder (Ctrl+O) — Scan a folder"
    assert named_tip("&Rescan", "Rescan") == "Rescan"
    assert "top 10" in eval_column_tip("graph", "hr@10").lower()
    assert eval_column_tip("audio", "mrr").startswith("Audio only. Mean reciprocal rank")
    text = about_html("1.2", "/data/<mine>", [("README.md", "the window", "file:///r/README.md")])
    assert "musicsage 1.2" in text and "/data/&lt;mine&gt;" in text
    assert '<a href="file:///r/README.md">README.md</a>' in text


def test_the_window_says_what_its_controls_are(qtbot, make_window, mapped_library):
    """The toolbar (its icons, each button's tooltip naming it, also with the texts dropped),
    View's ticks and names, the evaluation's column tips and Help ▸ About, on one window."""
    w = make_window(mapped_library)
    acts = w.actions_
    assert acts.fit.text() == "Show the whole map"  # as Help ▸ Keyboard shortcuts says 0/Home
    assert acts.play_on_select.text() == "Play tracks when selected"
    drawn = {use[0]: use[1] for use in w.action_icons._uses}
    assert (drawn[acts.embed], drawn[acts.retrain]) == ("embed", "retrain")  # no speaker, no ▶
    w.resize(700, 600)  # the texts drop
    qtbot.waitUntil(lambda: w.toolbar.toolButtonStyle().name == "ToolButtonIconOnly")
    for action in (acts.embed, acts.retrain, acts.fit):
        button = next(b for b in w.toolbar.findChildren(QToolButton)
                      if b.defaultAction() is action)
        QApplication.sendEvent(button, QHelpEvent(QEvent.Type.ToolTip, QPoint(4, 4),
                                                  button.mapToGlobal(QPoint(4, 4))))
        assert QToolTip.text().startswith(action.text()), QToolTip.text()
    view = next(m for m in w.menuBar().findChildren(QMenu) if m.title() == "&View")
    colour = next(m for m in view.findChildren(QMenu) if m.title() == "Colour by")
    w.colour_combo.setCurrentIndex(w.colour_combo.findData("artist"))
    assert [a.text() for a in colour.actions() if a.isChecked()] == ["Artist"]
    next(a for a in colour.actions() if a.text() == "Album").trigger()
    assert w.colour_combo.currentData() == "album"
    w.training.panel._fit_headers()
    table = w.training.panel.table
    assert "reciprocal rank" in table.horizontalHeaderItem(2).toolTip()
    help_menu = next(m for m in w.menuBar().findChildren(QMenu) if m.title() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "About musicsage").trigger()
    box = w.about_box
    assert box.isVisible() and musicsage.__version__ in box.text()
    assert str(w.app.ctx.data_dir) in box.text() and "README.md" in box.text()
    box.close()
