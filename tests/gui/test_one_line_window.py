"""The window's one-line places show a name with a line break or a tab on one line (see
tests/controllers/test_one_line_names.py): the neighbours' heading and cells, the track's
fields, the Suggestions and Queue headings, the map's legend and the status line. A file named
``odd\\nname\\t$(x)*.wav`` broke the heading, the Title field and the map's label across
lines; the rows behind the cells keep the real names (a list saved writes them)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from PySide6.QtWidgets import QStatusBar

from musicsage.gui.library_panel import LibraryPanel
from musicsage.gui.main_window import MainWindow
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.queue_panel import QueuePanel
from musicsage.gui.suggestions_panel import SuggestionsPanel
from musicsage.library.browse import TrackInfo
from musicsage.search.types import SimilarResult, SuggestResult

ODD = "odd\nname\t$(x)*"
SHOWN = "odd\\x0aname\\x09$(x)*"
ROW = {"track_id": 2, "title": "Line1\nLine2", "artist": "Art\tist", "score": 0.5,
       "path": "/m/a\nb.wav", "why": {"text": "in 'Road\ttrip' too"}}


def _one_line(text: str) -> bool:
    return not any(c in text for c in "\n\r\t\u2028\u2029")


def test_neighbour_heading_cells_and_why_are_one_line_and_the_rows_keep_the_real_names(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.show_result(SimilarResult(query={"track_id": 1, "title": ODD, "artist": "A\tB"},
                                    graph=[dict(ROW)], audio=[]), {})
    assert panel.heading.text() == f"{SHOWN} — A\\x09B"
    item = panel.graph_list.topLevelItem(0)
    assert [item.text(1), item.text(2)] == ["Line1\\x0aLine2", "Art\\x09ist"]
    assert _one_line(panel.graph_list.why_of(2))
    assert panel.graph_list.rows[0]["title"] == "Line1\nLine2"  # saved as written


def test_the_selected_tracks_fields_are_one_line(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    info = TrackInfo(id=1, path=f"/music/{ODD}.wav", title=None, artist="Art\tist",
                     album="Al\nbum", albumartist=None, genre="Ge\u2028nre", year=None,
                     track_number=None, duration=5.0, format="wav", status="ok",
                     needs_analysis=False)
    panel.show_track(info)
    fields = {k: panel.detail_labels[k].text() for k in ("title", "artist", "album", "genre",
                                                         "path")}
    assert fields["title"] == f"{SHOWN}.wav"
    assert all(_one_line(text) for text in fields.values()), fields


def test_suggestions_and_queue_headings_name_a_playlist_on_one_line(qtbot):
    suggestions, queue = SuggestionsPanel(), QueuePanel()
    qtbot.addWidget(suggestions)
    qtbot.addWidget(queue)
    suggestions.show_result(SuggestResult(playlist={"name": "Road\ttrip", "tracks": 2},
                                          graph=[dict(ROW)]), {"graph": "", "audio": ""})
    assert suggestions.heading.text() == "Suggestions for Road\\x09trip (2 tracks)"
    queue.show_queue([], -1, "Playlist: Road\ttrip (2 tracks)", "", "close")
    assert queue.heading.text() == "Playlist: Road\\x09trip (2 tracks)"


def test_the_status_line_and_the_legends_names_are_one_line(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    window = SimpleNamespace(statusBar=lambda: bar)
    MainWindow._show_message(window, f"cannot play {ODD}: no file", 1000)
    assert bar.currentMessage() == f"cannot play {SHOWN}: no file"
    mapper = SimpleNamespace(colouring=lambda ids: (np.zeros(len(ids), int), ["Ge\nnre"], "x"),
                             legend_counts=lambda names: (None, ""), legend_footnote=[])
    colouring = MainWindow.colouring(SimpleNamespace(app=SimpleNamespace(map=mapper)),
                                     np.arange(3))
    assert colouring.names == ["Ge\\x0anre"]
