"""A track the current graph model has not placed yet (a ``models --use`` stopped before it
placed the new tracks): ``similar`` said ``embed`` gives it its place in seconds, while
``radio``, ``suggest`` and the window's Retrain button under the same note said to Retrain,
minutes of work and not needed. Every place now says the one sentence
(:func:`~musicsage.usecases.embedding.unplaced_note`), and the window's button does what it
says. Also ``embed``'s note when the model it used was removed meanwhile (``models --use``
then ``models --remove``): it said "retrain to rebuild it" of a model the user deleted."""

from __future__ import annotations

import shutil

import pytest

from new_music_support import build_trained, new_music


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from musicsage.audio.threads import torch_threads

    root = tmp_path_factory.mktemp("trained")
    with torch_threads(1):
        _, paths = build_trained(root)
    return root, paths


@pytest.fixture
def trained(template, tmp_path):
    """A private copy of the trained library (its tracks are the template's: never modified)."""
    from musicsage.context import AppContext

    shutil.copytree(template[0] / "data", tmp_path / "data")
    return AppContext.create(tmp_path / "data")


def _add_new_track(ctx, template, tmp_path) -> int:
    """One new track, scanned, with a playlist "Just new" of it alone; returns its id."""
    from musicsage.library.db import connect
    from musicsage.usecases.library import scan_library

    music, _ = new_music(tmp_path / "new", template[1], 1)
    (track,) = sorted(music.rglob("*.flac"))
    mix = tmp_path / "new" / "Just new.m3u8"
    mix.write_text(f"#EXTM3U\n{track}\n", encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    return int(connect(ctx).execute("SELECT MAX(id) FROM tracks").fetchone()[0])


@pytest.fixture
def unplaced(trained, template, tmp_path, monkeypatch):
    """(ctx, the new track's id): embedded, but not placed by the graph model."""
    import musicsage.usecases.inductive as inductive
    from musicsage.usecases.embedding import embed_library

    new = _add_new_track(trained, template, tmp_path)
    with monkeypatch.context() as patch:  # stopped before the new track was placed
        patch.setattr(inductive, "embed_new_tracks",
                      lambda *a, **k: inductive.InductiveReport(None))
        embed_library(trained, "spectral")
    return trained, new


def test_radio_and_suggest_say_what_similar_says_of_an_unplaced_track(unplaced):
    from types import SimpleNamespace

    from musicsage.controllers.suggestions import SuggestionsController
    from musicsage.usecases.snapshot import load_snapshot
    from musicsage.usecases.radio import radio_tracks
    from musicsage.usecases.search import similar_tracks
    from musicsage.usecases.suggest import suggest_tracks

    ctx, new = unplaced
    similar = similar_tracks(ctx, new).notes["graph"]
    radio = radio_tracks(ctx, new, 3)
    suggestions = suggest_tracks(ctx, "Just new")
    suggest = suggestions.notes["graph"]
    assert "musicsage embed" in similar and "Retrain" not in similar
    assert radio.space == "audio" and radio.tracks
    assert radio.note == "the radio follows audio neighbours: " + similar.replace(
        "the query track", "the seed track")
    assert suggest == ("no member of the playlist has a graph embedding yet: the graph model "
                       "places new tracks without retraining (Compute embeddings in the "
                       "window, or musicsage embed)")
    tab = SimpleNamespace(app=SimpleNamespace(library=SimpleNamespace(
        snapshot=load_snapshot(ctx))))
    assert SuggestionsController.notes(tab, suggestions)["graph"].endswith(  # the Suggestions tab
        "without retraining (use Analyse ▸ Compute embeddings).")


def test_the_window_offers_compute_embeddings_and_it_places_the_track(unplaced, qtbot,
                                                                       tmp_path):
    from PySide6.QtCore import QSettings, Qt

    from musicsage.gui.main_window import MainWindow

    ctx, new = unplaced
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
    w.app.selection.select(new)
    panel = w.neighbours
    qtbot.waitUntil(lambda: panel.result is not None
                    and panel.result.query["track_id"] == new, timeout=30_000)
    button = panel.retrain_button
    w.grab().save(str(tmp_path / "unplaced.png"))
    assert "without retraining (use Analyse ▸ Compute embeddings)" in panel.graph_note.text()
    assert button.isVisibleTo(panel) and button.text() == "Compute embeddings"
    assert "Analyse the audio" in button.toolTip()
    retrains = []
    panel.retrain_requested.connect(lambda: retrains.append(True))
    qtbot.waitUntil(button.isEnabled, timeout=30_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert w.app.library.embedding and not retrains and w.app.training.task is None
    qtbot.waitUntil(lambda: not w.app.library.embedding, timeout=60_000)
    qtbot.waitUntil(lambda: panel.result is not None and bool(panel.result.graph),
                    timeout=30_000)  # what the button said: the track has its graph list
    w.close()


def test_an_empty_graph_list_for_want_of_a_model_still_offers_retrain(qtbot):
    from musicsage.controllers.selection import NO_GRAPH_NOTE, empty_list_note
    from musicsage.gui.neighbours import NeighboursPanel
    from musicsage.search.types import SimilarResult

    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    result = SimilarResult(query={"track_id": 1, "title": "A"}, graph=[], audio=[], k=10,
                           models={}, notes={})
    note = empty_list_note(result, "graph", graph_available=False, missing=0)
    assert note == NO_GRAPH_NOTE
    panel.show_result(result, {"graph": note, "audio": "No audio embeddings."})
    assert panel.retrain_button.text() == "Retrain"
    with qtbot.waitSignal(panel.retrain_requested, timeout=1000):
        panel.retrain_button.click()


def test_embed_says_so_when_the_model_it_used_was_removed_meanwhile(trained, template,
                                                                      tmp_path):
    from musicsage.graph.store import set_current
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.models import remove_graph_model
    from musicsage.usecases.training import current_graph_model, train_graph

    ctx = trained
    first = current_graph_model(ctx)
    train_graph(ctx, max_steps=2, seed=7)
    second = current_graph_model(ctx)
    set_current(connect(ctx), ctx, first.id)
    _add_new_track(ctx, template, tmp_path)

    def switch_and_remove(event) -> None:
        if getattr(event, "message", "") == "loading the graph model":  # between the steps
            set_current(connect(ctx), ctx, second.id)  # `models --use`, elsewhere
            remove_graph_model(ctx, first.id)  # then `models --remove`

    note = embed_library(ctx, "spectral", progress=switch_and_remove).graph.note
    assert "retrain" not in note.lower()
    assert note == (f"graph model {first.id} was removed while new tracks were being placed, "
                    f"so it placed none: graph model {second.id}, the current one, places them "
                    "(Compute embeddings in the window, or musicsage embed)")
