"""The Suggestions tab has a list length of its own.

The Neighbours tab's "top 10" box set the suggestions' count too, and nothing on the
Suggestions tab showed it: a user who wanted 20 suggestions had no box for it there, and
one who changed the neighbours' count changed the suggestions unseen."""

from __future__ import annotations


def test_suggestions_have_their_own_count(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    spin = w.suggestions.k_spin
    assert spin.isVisibleTo(w.suggestions) and spin.accessibleName() == "Suggestions per list"
    w.neighbours.k_spin.setValue(4)
    assert w.app.selection.k == 4
    assert w.app.suggestions.k == 10, "the neighbours' box leaves the suggestions alone"
    spin.setValue(25)
    assert w.app.suggestions.k == 25 and w.app.selection.k == 4
    assert "Suggestions tab has its own" in w.neighbours.k_spin.toolTip()


def test_the_suggestions_count_is_kept_between_launches(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    w.neighbours.k_spin.setValue(6)
    w.suggestions.k_spin.setValue(15)
    w.close()
    w2 = make_window(mapped_library)
    assert (w2.neighbours.k, w2.suggestions.k_spin.value(), w2.app.suggestions.k) == (6, 15, 15)
