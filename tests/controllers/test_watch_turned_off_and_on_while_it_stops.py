"""Turning "Watch folders for changes" off then on before the old watch had ended left the
watch off while the setting stayed checked: the new start saw the old task still running, and
its end neither started another nor looked again (the advice for folders past the inotify
limit sends users down this very path: turn the setting off and on)."""

from __future__ import annotations

from test_watch_controller import end, take_watch, watching


def test_off_then_on_before_the_old_watch_ended_watches_again(library, make_app):
    app, runner, task = watching(make_app, library)
    app.watch.set_enabled(False)
    app.watch.set_enabled(True)  # while the old watch is still stopping
    end(task)  # its loop ends: another starts (queued, not run: it would run till cancelled)
    assert app.watch.enabled
    assert take_watch(runner) is app.watch.task and app.watch.running


def test_off_then_on_then_off_before_the_old_watch_ended_stays_off(library, make_app):
    app, runner, task = watching(make_app, library)
    app.watch.set_enabled(False)
    app.watch.set_enabled(True)
    app.watch.set_enabled(False)
    end(task)
    runner.drain()
    assert not [t for t in runner.queue if t.name == "watch"] and not app.watch.running
