"""Analyse ▸ Graph model names each model with its HR@10: one measured by an earlier evaluation
protocol (ties counted for the model) said so, or read as comparable with today's figures."""

from __future__ import annotations

import json
import os

import pytest

from gui_support import two_model_window
from musicsage.library.db import connect

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_the_menu_says_which_figures_come_from_an_older_evaluation(qtbot, make_window,
                                                                   two_models):
    ctx, first, second = two_models
    conn = connect(ctx)
    with conn:  # the first model's figures as a version before protocol 3 saved them
        conn.execute("UPDATE graph_models SET metrics = ? WHERE id = ?",
                     (json.dumps({"graph": {"hr@10": 0.912, "mrr": 0.61}, "pairs": 3000}),
                      first))
    w, _tid, _before = two_model_window(qtbot, make_window, ctx)
    analyse = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Analyse")
    analyse.aboutToShow.emit()
    menu = w.actions_.graph_models
    menu.aboutToShow.emit()
    entries = {a.text().split(" · ")[0]: a.text() for a in menu.actions() if a.isCheckable()}
    assert entries[f"Model {first}"].endswith(" · HR@10 0.912 by an older evaluation")
    assert "older evaluation" not in entries[f"Model {second}"]
    if os.environ.get("GRAPHFIX1_PNG"):  # for looking at it: the submenu as the user sees it
        menu.popup(w.mapToGlobal(w.rect().center()))
        qtbot.waitExposed(menu)
        menu.grab().save(os.environ["GRAPHFIX1_PNG"])
