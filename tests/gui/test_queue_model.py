"""The Queue tab on a long queue: "Play in order" of a 28,356-track map froze the window for a
second, then every move of a row and every next track for 0.7 s: each change of the queue
rebuilt every row. Now a new queue resets the rows once, the next track repaints its two
rows, a move the rows it passed, a radio's refill adds its rows, and a row's label is made
only when it is on screen. Everything the user had stays: the marker, the numbers, the
selection, the buttons, the keys, dragging a row."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QDropEvent

from musicsage.controllers.queue import QueueLabels
from musicsage.gui.queue_model import QueueModel

N = 20_000


class Changes:
    """What the view is told by the queue's model: resets, repainted rows, rows in and out."""

    def __init__(self, model) -> None:
        self.resets, self.repainted, self.inserted, self.removed = 0, set(), [], []
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(lambda a, b, *_: self.repainted.update(range(a.row(),
                                                                              b.row() + 1)))
        model.rowsInserted.connect(lambda _p, a, b: self.inserted.append((a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.removed.append((a, b)))

    def _reset(self) -> None:
        self.resets += 1

    def clear(self) -> None:
        self.resets, self.repainted, self.inserted, self.removed = 0, set(), [], []


class Queue:
    """A queue of ``N`` tracks shown in a QueuePanel as the window shows it (labels from
    :meth:`QueueController.labels`), each label counted when it is made."""

    def __init__(self, qtbot, n: int = N) -> None:
        from musicsage.gui.queue_panel import QueuePanel

        self.panel = QueuePanel()
        qtbot.addWidget(self.panel)
        self.panel.resize(420, 500)
        self.panel.show()
        qtbot.waitExposed(self.panel)
        self.qtbot = qtbot
        self.tracks, self.current, self.made = list(range(n)), 0, 0
        self.changes = Changes(self.panel.list.model())
        self.panel.move_requested.connect(self.move)
        self.panel.remove_requested.connect(self.remove)

    def label(self, track: int) -> str:
        self.made += 1
        return f"Title {track} — Artist"

    def show(self) -> None:
        self.panel.show_queue(QueueLabels(self.tracks, self.label), self.current, "Region", "",
                              "close")
        self.qtbot.wait(20)  # painted

    def move(self, index: int, to: int) -> None:
        self.tracks.insert(to, self.tracks.pop(index))
        self.show()

    def remove(self, index: int) -> None:
        del self.tracks[index]
        self.show()

    def texts(self, rows) -> list[str]:
        return [self.panel.list.item(r).text() for r in rows]


def test_the_next_track_repaints_two_rows_and_rebuilds_nothing(qtbot):
    q = Queue(qtbot)
    q.show()
    assert q.changes.resets == 1 and q.panel.list.count() == N
    assert q.made < 200, "only the rows on screen have their labels made"
    q.changes.clear()
    q.made = 0
    q.current = 1
    q.show()
    assert q.changes.resets == 0, "the next track rebuilt the queue"
    assert q.changes.repainted == {0, 1}
    assert q.texts([0, 1, 2]) == ["    1. Title 0 — Artist", "▶ 2. Title 1 — Artist",
                                  "    3. Title 2 — Artist"]
    assert q.made < 50


def test_the_next_track_does_not_lay_out_every_row_again(qtbot, monkeypatch):
    """QListView lays every row out again on any change of one, asking the model twice per row
    (50 ms at 28,356 rows, on each next track): the queue's rows all have one size."""
    asked = {"rows": 0}
    row_count = QueueModel.rowCount

    def counted(self, *args):
        asked["rows"] += 1
        return row_count(self, *args)

    monkeypatch.setattr(QueueModel, "rowCount", counted)
    q = Queue(qtbot)
    q.show()
    asked["rows"] = 0
    q.current = 1
    q.show()
    assert asked["rows"] < 1000, f"the model was asked {asked['rows']} times for {N} rows"


def test_moving_a_row_repaints_the_rows_it_passed_and_the_selection_follows(qtbot):
    q = Queue(qtbot)
    q.show()
    q.panel.list.setCurrentRow(5)
    q.changes.clear()
    qtbot.mouseClick(q.panel.down_button, Qt.MouseButton.LeftButton)
    assert q.changes.resets == 0 and q.changes.repainted == {5, 6}
    assert q.panel.list.currentRow() == 6
    assert q.texts([5, 6]) == ["    6. Title 6 — Artist", "    7. Title 5 — Artist"]
    q.changes.clear()
    qtbot.mouseClick(q.panel.up_button, Qt.MouseButton.LeftButton)
    assert q.changes.resets == 0 and q.changes.repainted == {5, 6}
    assert q.panel.list.currentRow() == 5 and q.tracks[:7] == list(range(7))


def test_a_row_dragged_and_dropped_moves_its_track_there(qtbot):
    q = Queue(qtbot, n=30)
    q.show()
    lst = q.panel.list
    lst.setCurrentRow(2)
    assert lst.model().flags(lst.model().index(2)) & Qt.ItemFlag.ItemIsDragEnabled
    mime = lst.model().mimeData([lst.model().index(2)])  # what the drag carries
    assert lst.model().canDropMimeData(mime, Qt.DropAction.MoveAction, 6, 0, QModelIndex()), \
        "the list takes the row between two others"
    below_the_middle = lst.visualRect(lst.model().index(5)).center() + QPoint(0, 2)
    q.changes.clear()
    lst.dropEvent(QDropEvent(below_the_middle, Qt.DropAction.MoveAction, mime,
                             Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert q.tracks[:6] == [0, 1, 3, 4, 5, 2], "dropped after row 5: its track is 6th"
    assert lst.currentRow() == 5 and q.changes.resets == 0
    assert q.texts([5]) == ["    6. Title 2 — Artist"]


def test_a_radio_refill_adds_rows_and_a_removal_takes_one_out(qtbot):
    q = Queue(qtbot, n=10)
    q.show()
    q.changes.clear()
    q.tracks += [10, 11, 12]  # the radio's next batch
    q.show()
    assert q.changes.resets == 0 and q.changes.inserted == [(10, 12)]
    assert q.panel.list.count() == 13
    q.panel.list.setCurrentRow(4)
    q.panel.list.setFocus()
    q.changes.clear()
    qtbot.keyClick(q.panel.list, Qt.Key.Key_Delete)
    assert q.changes.resets == 0 and q.changes.removed == [(4, 4)]
    assert q.tracks[3:6] == [3, 5, 6] and q.panel.list.currentRow() == 4, \
        "the row after the removed one is selected: Delete again removes it"
    assert q.texts([4]) == ["    5. Title 5 — Artist"]


def test_a_new_queue_resets_the_rows_once_and_keeps_the_selected_row(qtbot):
    q = Queue(qtbot, n=50)
    q.show()
    q.panel.list.setCurrentRow(7)
    q.changes.clear()
    q.tracks = list(range(100, 140))
    q.show()
    assert q.changes.resets == 1 and q.panel.list.count() == 40
    assert q.panel.list.currentRow() == 7
    assert q.texts([0, 7]) == ["▶ 1. Title 100 — Artist", "    8. Title 107 — Artist"]


def test_enter_plays_a_row_and_its_tooltip_is_its_label_as_written(qtbot):
    q = Queue(qtbot, n=5)
    q.label = lambda track: f"<i>Song {track}</i> <3 — Artist"
    q.show()
    lst = q.panel.list
    lst.setCurrentRow(3)
    lst.setFocus()
    with qtbot.waitSignal(q.panel.play_requested) as played:
        qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert played.args == [3]
    tip = lst.item(3).toolTip()
    assert "&lt;i&gt;Song 3&lt;/i&gt; &lt;3" in tip, "markup shown as written, not drawn"


def test_without_sound_the_current_row_is_marked_but_not_playing(qtbot):
    q = Queue(qtbot, n=5)
    q.show()
    q.panel.show_queue(QueueLabels(q.tracks, q.label), 2, "Radio: Title 0 — Artist", "",
                       "close", can_play=False)
    assert q.texts([0, 2]) == ["    1. Title 0 — Artist", "› 3. Title 2 — Artist"]
    assert q.panel.heading.text() == "Radio: Title 0 — Artist"


def test_an_empty_queue_says_how_to_start_one(qtbot):
    q = Queue(qtbot, n=0)
    q.show()
    assert not q.panel.list.isVisible() and q.panel.empty.isVisible()
    assert not q.panel.remove_button.isEnabled()


def test_in_the_window_play_in_order_resets_the_rows_once_and_next_none(qtbot, make_window,
                                                                        library):
    w = make_window(library)
    ids = [t.id for t in w.app.library.snapshot.tracks]
    changes = Changes(w.queue.list.model())
    w.app.queue.play_list(ids, "Region")
    assert changes.resets == 1 and w.queue.list.count() == len(ids)
    w.app.queue.next()
    assert changes.resets == 1, "the next track rebuilt the queue"
    assert w.queue.list.item(1).text().startswith(("▶", "›"))
    assert not w.queue.list.item(0).text().startswith(("▶", "›"))
