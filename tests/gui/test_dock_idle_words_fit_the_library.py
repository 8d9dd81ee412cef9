"""Before any graph model, the training dock's texts do not send the user where they need not,
or cannot, go.

The dock's status said "The graph model learns from playlists: import them, then Retrain." to
a user whose playlists were imported, and its empty plots said "Retrain draws one" in a
library Retrain cannot train (no playlists): pressing it only answered "Retrain needs
playlists". The model line below says what to do, from the library itself."""

from __future__ import annotations

import pytest

from gui_support import settle
from music_support import make_music

pytestmark = pytest.mark.usefixtures("shared_helper")


def _idle_texts(w) -> list[str]:
    """The dock's texts besides its model line: its status and its plots' notes."""
    panel = w.training.panel
    return [panel.status.text()] + [n.toPlainText() for n in panel.empty_notes if n.isVisible()]


def test_a_library_that_cannot_train_is_not_sent_to_retrain(qtbot, make_window, ctx, tmp_path):
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=12)
    scan_library(ctx, [str(music)], [])  # tracks, no playlists
    embed_library(ctx, "spectral")
    w = make_window(ctx)
    w.show_training_dock()
    settle(qtbot, w)
    panel = w.training.panel
    assert panel.model_line.text().startswith("No graph model yet: training one needs")
    assert any(n.isVisible() for n in panel.empty_notes)  # the plots say they are empty
    for text in _idle_texts(w):
        assert "Retrain" not in text, text
    # what the dock is for, not a training to come ("Training shows here: …")
    assert not panel.status.text().startswith("Training"), panel.status.text()
    w.actions_.retrain.trigger()  # what Retrain answers here: it cannot train
    assert not w.app.training.running


def test_a_library_with_playlists_is_not_asked_to_import_them(qtbot, make_window, library):
    from musicsage.controllers.training import retrain_blocked

    w = make_window(library)
    w.show_training_dock()
    settle(qtbot, w)
    assert w.app.library.snapshot.playlists and retrain_blocked(w.app.library.snapshot) is None
    assert "press Retrain" in w.training.panel.model_line.text()
    for text in _idle_texts(w):
        assert "import" not in text.lower(), text
