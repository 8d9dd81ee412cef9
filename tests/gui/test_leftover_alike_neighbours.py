"""The neighbour lists told untagged files of one name (song.m4a, song.mp3 of one folder)
apart nowhere: two identical rows "song", both "#34 by audio alone"."""

from __future__ import annotations

from musicsage.gui.neighbours import NeighboursPanel
from musicsage.search.types import SimilarResult


def _row(tid: int, title: str, path: str, rank: int) -> dict:
    return {"track_id": tid, "title": title, "artist": None, "path": path, "rank": rank,
            "score": 0.9, "why": {"text": f"#{33 + rank} by audio alone"}}


def test_alike_rows_of_a_neighbour_list_say_their_format(qtbot, tmp_path):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    rows = [_row(2, "song", "/m/F/song.m4a", 1), _row(3, "other", "/m/F/other.mp3", 2),
            _row(4, "song", "/m/F/song.mp3", 3)]
    query = {"track_id": 1, "title": "q", "artist": "A", "path": "/m/F/q.flac"}
    panel.show_result(SimilarResult(query=query, audio=rows, models={"audio": "m"}), {})
    lst = panel.audio_list
    titles = [lst.topLevelItem(i).text(1) for i in range(lst.topLevelItemCount())]
    assert titles == ["song (m4a)", "other", "song (mp3)"]
    assert lst.rows[0]["title"] == "song", "the rows (saved as a playlist) keep the real title"
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.grab().save(str(tmp_path / "neighbours.png"))
