"""File › Remove missing tracks… (pytest-qt, offscreen): the question names the tracks a check
found missing; a file that goes missing while it is open (a drive unplugged, the folder watch
marking it) is not removed when the user says Yes — it was never asked about — and the
status line says it was kept."""

from __future__ import annotations

import pytest

from gui_support import settle
from musicsage.usecases.library import list_tracks, scan_library
from test_gui_remove_missing_off_thread import remove_missing_action

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_a_file_gone_while_the_question_is_open_is_kept(qtbot, make_window, library,
                                                         tmp_path):
    first, second = sorted(list_tracks(library), key=lambda t: t.id)[:2]
    music = tmp_path / "src" / "music"
    (music / first.path.split("/music/", 1)[1]).unlink()
    scan_library(library)
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    asked = []

    def yes_after_another_file_went(title: str, text: str) -> bool:
        asked.append(text)
        (music / second.path.split("/music/", 1)[1]).unlink()  # while the dialog is open
        scan_library(library)  # as the folder watch marks it missing
        return True

    w.confirm = yes_after_another_file_went
    act.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert asked[0].startswith("Remove the 1 missing track from the library?")
    qtbot.waitUntil(lambda: any("removed from the library" in text
                                for _level, text in w.app.notifications), timeout=30_000)
    settle(qtbot, w)

    left = {t.id: t for t in list_tracks(library)}
    assert first.id not in left, "the track asked about left"
    assert second.id in left, "the file gone while asked stays, unasked"
    line = next(text for _level, text in w.app.notifications if "removed from" in text)
    assert line.startswith("1 missing track removed from the library")
    assert "1 missing track kept: the question did not ask to remove it" in line


def test_yes_after_the_window_switched_libraries_removes_nothing(qtbot, make_window, library,
                                                                  tmp_path):
    """A later launch on the user's own library switches a window showing the demo while the
    question is open: the ids asked about name the other library's tracks, so Yes removes
    none there (the same ids are missing in the copy shown here) and the line says why."""
    import shutil

    from musicsage.context import AppContext

    first = sorted(list_tracks(library), key=lambda t: t.id)[0]
    (tmp_path / "src" / "music" / first.path.split("/music/", 1)[1]).unlink()
    scan_library(library)
    shutil.copytree(library.data_dir, tmp_path / "other")  # same ids, same missing track
    other = AppContext.create(tmp_path / "other")
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    asked = []

    def yes_after_a_switch(title: str, text: str) -> bool:
        asked.append(text)
        assert w.app.set_context(other)  # as File ▸ Back to my library does
        w.app.library.reload()
        return True

    w.confirm = yes_after_a_switch
    act.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    settle(qtbot, w)

    assert first.id in {t.id for t in list_tracks(other)}, "nothing removed where not asked"
    assert first.id in {t.id for t in list_tracks(library)}, "nor in the library asked about"
    assert any(text.startswith("Nothing removed: another library is shown now")
               for _level, text in w.app.notifications)
