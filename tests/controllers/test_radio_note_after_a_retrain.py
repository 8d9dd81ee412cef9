"""A radio started before the library had a graph model says it follows audio neighbours,
"no trained graph model yet (press Retrain)"; once a Retrain made one, that note stayed under
the queue, telling the user to press Retrain again, until the radio's next refill. It goes
as soon as the library with the new model is read. Controllers on a real library."""

from __future__ import annotations

from radio_support import radio_from_first_track


def test_the_press_retrain_note_goes_once_a_retrain_made_a_graph_model(trainable_library,
                                                                       make_app):
    app, runner = radio_from_first_track(trainable_library, make_app,
                                         train_options={"max_steps": 20})
    q = app.queue
    assert "press Retrain" in q.note, q.note
    seen = []
    q.changed.connect(lambda: seen.append(q.note))
    app.training.start()
    runner.drain()
    assert app.library.snapshot.graph_model is not None
    assert "Retrain" not in q.note and "no trained graph model" not in q.note, q.note
    assert seen and seen[-1] == q.note, "the view was told"
    assert q.radio and len(q.tracks) > 1, "the queue stays as it was"


def test_the_press_retrain_note_goes_whole_after_the_seed_was_handed_over(
        trainable_library, make_app, monkeypatch):
    """The seed left the library while there was no graph model: the note read "the radio
    goes on from '…' (its seed track left the library); the radio follows audio neighbours:
    … (press Retrain)", and once a Retrain made a model, "…library); ", a stray separator
    left at its end."""
    from musicsage.library.db import connect
    from musicsage.library.forget import forget_files

    monkeypatch.setattr("musicsage.controllers.queue.BATCH", 3)
    app, runner = radio_from_first_track(trainable_library, make_app,
                                         train_options={"max_steps": 20})
    q = app.queue
    seed, first = q.tracks[0], q.tracks[1]
    forget_files(connect(app.ctx), [app.library.snapshot.by_id[seed].fs_path], [])
    app.library.reload()
    runner.drain()
    q.next()  # the refill hands the radio over to the first track still there
    runner.drain()
    label = app.selection.label(first)
    handed = f"the radio goes on from '{label}' (its seed track left the library)"
    assert q.note.startswith(f"{handed}; ") and "press Retrain" in q.note, q.note
    app.training.start()
    runner.drain()
    assert app.library.snapshot.graph_model is not None
    assert q.note == handed
