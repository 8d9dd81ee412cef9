"""A radio started as each radio test starts it: controllers on a real library, the library
read, then Play similar on its first track, every task run (an InlineRunner)."""

from __future__ import annotations


def radio_from_first_track(library, make_app, *, playing: bool = False, **app_options):
    """``(app, runner)`` with a radio playing from the library's first track. Without
    ``playing`` the selection plays nothing (no sound card needed); with it, the tracks go to
    the window's player (an event here), so a track's end moves the queue on."""
    app, runner = make_app(library, **app_options)
    app.library.reload()
    runner.drain()
    if not playing:
        app.selection.can_play = lambda: False
    app.queue.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    return app, runner
