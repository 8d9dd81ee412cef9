"""The window opens on a settings file from an older version or edited by hand.

The Suggestions tab's list length got a setting of its own (``view/suggestions_k``); before,
both tabs shared ``view/k``. A saved number that is not one ("ten") made ``int()`` raise while
the window was restored: it did not open."""

from __future__ import annotations

from PySide6.QtCore import QSettings


def _saved(tmp_path, **values) -> None:
    """Write ``values`` (``view__k`` for ``view/k``) where ``make_window`` reads its settings."""
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    for key, value in values.items():
        s.setValue(key.replace("__", "/"), value)
    s.sync()


def test_an_older_settings_file_gives_suggestions_the_shared_count(qtbot, ctx, make_window,
                                                                   tmp_path):
    _saved(tmp_path, view__k=25)
    w = make_window(ctx)
    assert w.neighbours.k_spin.value() == 25
    assert w.suggestions.k_spin.value() == 25, "the count it had when both shared it"


def test_each_list_keeps_its_own_count(qtbot, ctx, make_window, tmp_path):
    _saved(tmp_path, view__k=25, view__suggestions_k=7)
    w = make_window(ctx)
    assert (w.neighbours.k_spin.value(), w.suggestions.k_spin.value()) == (25, 7)


def test_damaged_numbers_open_the_window_with_the_defaults(qtbot, ctx, make_window, tmp_path):
    _saved(tmp_path, view__k="ten", view__suggestions_k="99999999999", player__volume="loud")
    w = make_window(ctx)
    assert w.isVisible()
    assert (w.neighbours.k_spin.value(), w.suggestions.k_spin.value()) == (10, 10)


def test_a_damaged_own_count_falls_back_to_the_shared_one(qtbot, ctx, make_window, tmp_path):
    _saved(tmp_path, view__k=30, view__suggestions_k="x7")
    w = make_window(ctx)
    assert (w.neighbours.k_spin.value(), w.suggestions.k_spin.value()) == (30, 30)
