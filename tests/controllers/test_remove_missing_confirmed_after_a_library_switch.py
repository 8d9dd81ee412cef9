"""File › Remove missing tracks…, answered Yes after the window switched libraries (a later
launch on the user's own library reaches a window showing the demo): the ids asked about name
the other library's tracks, so nothing is removed and the status line says why. The guard is
the controller's: any caller removing what a question asked goes through it, not only the
window's dialog."""

from __future__ import annotations

import shutil

import pytest

from musicsage.context import AppContext
from musicsage.controllers.missing import (SWITCHED, ask_then_remove_missing, check_missing,
                                           remove_missing)
from musicsage.usecases.library import list_tracks, scan_library


def _one_missing_and_a_copy(library, tmp_path):
    """The library with its first track missing, and a copy of it (same ids, same missing
    track) as the other library a switch shows."""
    first = sorted(list_tracks(library), key=lambda t: t.id)[0]
    (tmp_path / "src" / "music" / first.path.split("/music/", 1)[1]).unlink()
    scan_library(library)
    shutil.copytree(library.data_dir, tmp_path / "other")
    return first, AppContext.create(tmp_path / "other")


def test_yes_after_a_switch_removes_nothing_and_says_why(library, make_app, tmp_path):
    first, other = _one_missing_and_a_copy(library, tmp_path)
    app, runner = make_app(library)
    runner.drain()
    asked = []

    def yes_after_a_switch(plan) -> bool:
        asked.append(plan)
        assert app.set_context(other)  # as File ▸ Back to my library does
        return True

    ask_then_remove_missing(app.library, yes_after_a_switch)
    runner.drain()

    assert [p.tracks for p in asked] == [1]
    assert first.id in {t.id for t in list_tracks(other)}, "nothing removed where not asked"
    assert first.id in {t.id for t in list_tracks(library)}, "nor in the library asked about"
    assert ("warning", SWITCHED) in app.notifications


def test_removing_what_was_asked_checks_the_library_shown(library, make_app, tmp_path):
    """A caller other than the window's question, holding a check of the library shown then."""
    first, other = _one_missing_and_a_copy(library, tmp_path)
    app, runner = make_app(library)
    runner.drain()
    plans = []
    check_missing(app.library, plans.append)
    runner.drain()
    assert app.set_context(other)

    assert remove_missing(app.library, plans[0], library) is None
    runner.drain()

    assert first.id in {t.id for t in list_tracks(other)}
    assert ("warning", SWITCHED) in app.notifications
    with pytest.raises(TypeError):
        remove_missing(app.library, plans[0])  # a check without its library: no guard to skip


def test_yes_in_the_library_shown_removes_what_was_asked(library, make_app, tmp_path):
    first, _other = _one_missing_and_a_copy(library, tmp_path)
    app, runner = make_app(library)
    runner.drain()

    ask_then_remove_missing(app.library, lambda plan: True)
    runner.drain()

    assert first.id not in {t.id for t in list_tracks(library)}
    assert any(text.startswith("1 missing track removed from the library")
               for _level, text in app.notifications)
