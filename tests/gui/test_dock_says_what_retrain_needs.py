"""A trained graph model, then playlists removed and the library rescanned: the training
dock's status still said "Press Retrain to train a new graph model…", and an older
evaluation's note "Retrain to re-evaluate", beside a Retrain that could only refuse. Both say
what Retrain needs first, in the words of the model line and of Retrain's own answer."""

from __future__ import annotations

from pathlib import Path

from models_support import model_with_metrics
from musicsage.controllers.evaluation import OLDER_NOTE
from musicsage.controllers.training import retrain_blocked

CURRENT = {"graph": {"hr@10": 0.4, "mrr": 0.2}, "audio": {"hr@10": 0.3, "mrr": 0.1},
           "pairs": 12, "protocol": {"version": 3}}
"""A model evaluated by today's protocol."""
OLDER = {"graph": {"hr@10": 0.912, "mrr": 0.61}, "audio": {"hr@10": 0.2, "mrr": 0.1},
         "pairs": 30}
"""A model evaluated before the protocol had a version (ties counted for it)."""
PRESS = "Press Retrain to train a new graph model"
OLDER_START = OLDER_NOTE.removesuffix("; Retrain to re-evaluate.")
NO_PLAYLISTS_NEED = ("Retrain needs playlists that name tracks of this library: import some "
                     "(File ▸ Import playlists…).")


def dock_after_rescan(qtbot, ctx, metrics: dict, keep_playlists: int):
    """A real dock beside the app's model in use, after a model with ``metrics`` was trained
    and every playlist file but the first ``keep_playlists`` was deleted and the library
    rescanned: ``(app, panel)``. The dock follows the controller as the window does."""
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner
    from musicsage.gui.training_dock import TrainingPanel

    model_with_metrics(ctx, metrics)
    folder = Path(ctx.data_dir).parent / "src" / "playlists"
    for playlist in sorted(folder.iterdir())[keep_playlists:]:
        playlist.unlink()
    runner = InlineRunner()
    app = AppController(ctx, runner)
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    app.training.model_shown.connect(lambda text, shown, curves: panel.show_model(
        text, shown, running=False, curves=curves, needs=app.training.needs))
    app.library.scan([], [])  # Rescan: the deleted playlists leave the library
    runner.drain()
    return app, panel


def test_no_playlists_left_the_dock_says_to_import_some(qtbot, library):
    app, panel = dock_after_rescan(qtbot, library, CURRENT, keep_playlists=0)
    assert not app.library.snapshot.memberships, "the rescan dropped every playlist"
    assert panel.status.text() == (f"{NO_PLAYLISTS_NEED} The curves and the table show the "
                                   "model in use.")
    assert PRESS not in panel.status.text()
    assert app.training.start() is None, "Retrain refuses: the dock must not send the user there"


def test_too_few_memberships_the_dock_and_the_older_note_say_what_retrain_needs(qtbot, library):
    app, panel = dock_after_rescan(qtbot, library, OLDER, keep_playlists=1)
    blocked = retrain_blocked(app.library.snapshot)
    assert blocked and blocked.startswith("Retrain needs at least 20 playlist memberships")
    assert panel.status.text().startswith(blocked)
    assert PRESS not in panel.status.text()
    notes = panel.notes_line.text().splitlines()
    assert notes[0].startswith(f"{OLDER_START}; to re-evaluate, {blocked}")
    assert OLDER_NOTE not in notes
    assert app.training.start() is None


def test_a_library_that_can_train_is_still_told_to_press_retrain(qtbot, library):
    app, panel = dock_after_rescan(qtbot, library, OLDER, keep_playlists=6)
    assert retrain_blocked(app.library.snapshot) is None
    assert app.training.needs is None
    assert panel.status.text().startswith(PRESS)
    assert panel.notes_line.text().splitlines()[0] == OLDER_NOTE


def test_the_window_s_dock_says_what_retrain_needs(qtbot, make_window, library):
    """The window wires the controller's reason into the dock (not only this file's hook-up)."""
    from gui_support import settle
    from musicsage.usecases.library import scan_library

    model_with_metrics(library, CURRENT)
    folder = Path(library.data_dir).parent / "src" / "playlists"
    for playlist in sorted(folder.iterdir())[1:]:
        playlist.unlink()
    scan_library(library, [], [])
    w = make_window(library)
    w.show_training_dock()
    settle(qtbot, w)
    blocked = retrain_blocked(w.app.library.snapshot)
    assert blocked and blocked.startswith("Retrain needs at least 20 playlist memberships")
    assert w.training.panel.status.text().startswith(blocked)
    assert PRESS not in w.training.panel.status.text()
