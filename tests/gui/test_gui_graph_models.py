"""Analyse ▸ Graph model: the submenu lists the library's models (the one in use checked),
choosing another switches without a question and the neighbour lists follow; "Remove older
models…" deletes every other model after a question naming them; disabled while a training
runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gui_support import settle, two_model_window
from musicsage.usecases.models import list_graph_models
from musicsage.usecases.training import current_graph_model

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


@pytest.fixture(scope="module")
def mapped_models_template(two_models_template, tmp_path_factory):
    """The run's two-model library with the map of its current model laid out, once for the
    module: a window reads it from the cache instead of laying 72 tracks out (UMAP) in a child
    process of its own, 5-10 s a window on a busy 2-core machine. Switching to the other model
    still lays that one's map out in the window."""
    from models_support import copy_library
    from musicsage.usecases.search import map_points

    root, first, second = two_models_template
    mine = tmp_path_factory.mktemp("two-models-mapped")
    map_points(copy_library(root, mine), "graph")
    return mine, first, second


@pytest.fixture
def two_models(mapped_models_template, tmp_path):
    """This module's own :func:`two_models` (tests/conftest.py): a test's copy of the two-model
    library whose current model's map is laid out already."""
    from models_support import copy_library

    root, first, second = mapped_models_template
    return copy_library(root, tmp_path), first, second


def analyse_menu(w):
    return next(a.menu() for a in w.menuBar().actions() if a.text() == "&Analyse")


def open_graph_models(w):
    """The submenu's entries as they are when the user opens Analyse, then Graph model."""
    analyse_menu(w).aboutToShow.emit()
    menu = w.actions_.graph_models
    menu.aboutToShow.emit()
    return menu, [a for a in menu.actions() if a.isCheckable()]


def remove_entry(w):
    """The submenu's "Remove older models…", as it is when the user opens the submenu."""
    menu, _ = open_graph_models(w)
    return next(a for a in menu.actions() if a.text() == "Remove older models…")


def test_submenu_lists_models_and_switching_changes_the_neighbours(qtbot, make_window, two_models):
    ctx, first, second = two_models
    w, tid, before = two_model_window(qtbot, make_window, ctx)
    menu, entries = open_graph_models(w)
    assert menu.menuAction().isEnabled() and len(entries) == 2
    assert [a.isChecked() for a in entries] == [True, False]  # newest (current) first
    assert "HR@10 0.050" in entries[0].text() and "spectral" in entries[0].text()
    assert entries[0].text().startswith(f"Model {second} · ")
    assert f"(model {second}, HR@10&nbsp;0.050)" in w.library.summary.text()  # which one is in use
    switched, shown = [], []
    w.app.models.switched.connect(switched.append)
    w.neighbours_loaded.connect(shown.append)
    entries[1].trigger()  # no question asked
    qtbot.waitUntil(lambda: bool(switched and shown), timeout=120_000)
    settle(qtbot, w)
    assert current_graph_model(ctx).id == first
    after = w.neighbours.graph_list.track_ids()
    assert after and after != before
    assert any(f"Graph model {first}" in text and "now in use" in text
               for _level, text in w.app.notifications)
    _, entries = open_graph_models(w)
    assert [a.isChecked() for a in entries] == [False, True]
    assert f"(model {first}, HR@10" in w.library.summary.text()


def test_submenu_is_disabled_while_a_training_runs(qtbot, make_window, two_models, monkeypatch):
    ctx, _first, _second = two_models
    w = make_window(ctx)
    monkeypatch.setattr(type(w.app.training), "running", property(lambda _self: True))
    menu, _ = open_graph_models(w)
    assert not menu.menuAction().isEnabled()
    assert w.app.models.use(_first) is None
    assert w.app.models.remove((_first,)) is None
    assert current_graph_model(ctx).id == _second
    assert [m.id for m in list_graph_models(ctx)] == [_first, _second]


def test_remove_older_models_asks_first_and_keeps_the_current_one(qtbot, make_window,
                                                                   two_models):
    ctx, first, second = two_models
    w = make_window(ctx)
    qtbot.waitUntil(lambda: len(w.app.models.models) == 2, timeout=30_000)
    settle(qtbot, w)
    first_dir = Path(next(m.dir for m in w.app.models.models if m.id == first))
    asked = []
    w.confirm = lambda title, text: asked.append((title, text)) or False  # the user cancels
    remove = remove_entry(w)
    assert remove.isEnabled()
    remove.trigger()
    assert len(asked) == 1
    title, text = asked[0]
    assert "1 older graph model" in text and f"model {first}:" in text
    assert re.search(r"\(\d+(\.\d)? (bytes|KB|MB|GB) on disk\)", text)
    assert f"The model in use stays: model {second}" in text
    settle(qtbot, w)
    assert [m.id for m in list_graph_models(ctx)] == [first, second] and first_dir.is_dir()

    w.confirm = lambda title, text: True
    remove_entry(w).trigger()
    qtbot.waitUntil(lambda: len(w.app.models.models) == 1, timeout=30_000)
    settle(qtbot, w)
    assert [m.id for m in list_graph_models(ctx)] == [second] and not first_dir.exists()
    assert current_graph_model(ctx).id == second
    assert any(level == "info" and text.startswith("Removed 1 older graph model (")
               for level, text in w.app.notifications)
    _, entries = open_graph_models(w)
    assert len(entries) == 1 and entries[0].isChecked()
    assert not remove_entry(w).isEnabled(), "only the model in use is left"


def test_every_menu_shows_the_tooltips_its_actions_carry(qtbot, make_window, two_models):
    """The Graph model entries carried tooltips (why one is damaged, what it scored) that no
    one saw: a QMenu shows none unless told to. Every menu of the window is told to."""
    from PySide6.QtWidgets import QMenu

    ctx, first, second = two_models
    w, _tid, _ids = two_model_window(qtbot, make_window, ctx)
    menu, entries = open_graph_models(w)
    # (less the menu bar's own » overflow popup, which Qt makes: it lists whole menus)
    menus = [m for m in w.findChildren(QMenu) if m.parent() is not w.menuBar() or m.title()]
    assert menu in menus and w.neighbours.save_button.menu() in menus
    assert w.suggestions.save_button.menu() in menus
    assert not [m.title() for m in menus if not m.toolTipsVisible()]
    assert w.neighbours.graph_list.context_menu(1).toolTipsVisible()
    current, other = entries
    assert current.toolTip().startswith(f"Graph model {second}, trained on spectral")
    assert "HR@10 0.050" in current.toolTip() and "In use" in current.toolTip()
    assert "Choose to use it" in other.toolTip()
    remove = next(a for a in menu.actions() if a.text() == "Remove older models…")
    assert "Delete the 1 model not in use" in remove.toolTip()
    # the menubar's own entries keep the tips the toolbar shows (no tooltip invented: Quit)
    file_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&File")
    watch = w.actions_.watch_folders  # its tip names the folders once the watch has started
    qtbot.waitUntil(lambda: watch.toolTip().startswith("Watching: "), timeout=30_000)
    tips = {a.text(): a.toolTip() for a in file_menu.actions() if not a.isSeparator()}
    assert tips["Rescan"] == "Look for new, changed and removed files"
    assert tips["Watch folders for changes"].startswith("Watching: ")  # which folders
    assert tips["Quit"] == "Quit"  # Qt's stand-in (the text), which a menu does not show
