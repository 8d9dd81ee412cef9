"""A queue row's menu acts on the track it was opened on. It kept the row's number: while it
was open the queue could change under it — the library forgot a track above (the folder
watch), a radio asked for before it replaced the queue — and its "Remove from queue" then took
out the track that had moved into that row, its "Play" played that one."""

from __future__ import annotations

from musicsage.controllers.queue_labels import QueueLabels
from musicsage.gui.queue_panel import QueuePanel


def _panel(qtbot) -> tuple[QueuePanel, list, list]:
    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.show_queue(QueueLabels([1, 2, 3, 4, 5, 6], lambda t: f"Song {t}", queue=1), 0,
                     "Region", "", "close")
    panel.show()
    removed, played = [], []
    panel.remove_requested.connect(removed.append)
    panel.play_requested.connect(played.append)
    return panel, removed, played


def _action(menu, text: str):
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_a_row_above_taken_out_while_the_menu_is_open(qtbot):
    panel, removed, played = _panel(qtbot)
    menu = panel.list.context_menu(4)  # "Song 5"
    panel.show_queue(QueueLabels([1, 3, 4, 5, 6], lambda t: f"Song {t}", queue=1), 0,
                     "Region", "", "close")  # Song 2 forgotten by the library meanwhile
    _action(menu, "Remove from queue").trigger()
    _action(menu, "Play").trigger()
    assert removed == [3] and played == [3], "Song 5's row now, not Song 6's"


def test_a_new_queue_while_the_menu_is_open_is_left_alone(qtbot):
    panel, removed, played = _panel(qtbot)
    menu = panel.list.context_menu(2)
    panel.show_queue(QueueLabels([7, 8, 9, 10], lambda t: f"Song {t}", queue=2), 0,
                     "Radio: Song 7", "", "close")  # a radio asked for before came in
    _action(menu, "Remove from queue").trigger()
    _action(menu, "Play").trigger()
    assert removed == [] and played == [], "the radio's own third track left alone"


def test_the_menu_on_an_unchanged_queue_acts_on_its_row(qtbot):
    panel, removed, played = _panel(qtbot)
    menu = panel.list.context_menu(1)
    _action(menu, "Play").trigger()
    _action(menu, "Remove from queue").trigger()
    assert played == [1] and removed == [1]


def test_a_new_queue_that_holds_the_track_is_acted_on_where_it_is(qtbot):
    panel, removed, played = _panel(qtbot)
    menu = panel.list.context_menu(2)  # "Song 3"
    panel.show_queue(QueueLabels([3, 8, 9], lambda t: f"Song {t}", queue=2), 0,
                     "Radio: Song 3", "", "close")  # a radio from that very track came in
    _action(menu, "Play").trigger()
    assert played == [0], "Song 3 is the radio's first row: the user's choice is not dropped"
