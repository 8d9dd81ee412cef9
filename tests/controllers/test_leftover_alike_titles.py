"""Untagged files of one name in one folder (song.m4a, song.aac, song.opus …) were identical
rows "song" in the search list, the queue and the command line's lists: a row that reads the
same as another of its list says what tells it apart, and other rows stay as they were."""

from __future__ import annotations

from musicsage.search.report import format_radio, format_similar
from musicsage.search.types import RadioResult, SimilarResult


def _alike(library, exts=("m4a", "aac", "opus")) -> list[int]:
    """Three tracks of the library made untagged files song.<ext> of one folder."""
    from musicsage.library.db import connect

    with connect(library) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM tracks ORDER BY id LIMIT ?",
                                          (len(exts),))]
        for tid, ext in zip(ids, exts):
            conn.execute("UPDATE tracks SET title = 'song', artist = NULL, path = ? WHERE id = ?",
                         (f"/music/Formats/song.{ext}", tid))
    return ids


def test_the_search_list_and_the_queue_tell_alike_files_apart(library, make_app, recorder):
    ids = _alike(library)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    results = recorder(app.library.search_results)
    app.library.search("song")
    runner.drain()
    labels = dict(results.calls[-1][1])
    assert sorted(labels[t] for t in ids) == ["song (aac)", "song (m4a)", "song (opus)"]
    others = [t for t in labels if t not in ids]
    assert others and all(labels[t] == app.library.snapshot.label(t) for t in others), \
        "a row that reads like no other is unchanged"
    app.queue.play_list([ids[0], others[0], ids[1]], "Mix")
    assert list(app.queue.labels()) == ["song (m4a)", labels[others[0]], "song (aac)"]
    assert app.library.snapshot.labels([ids[0], ids[0]]) == ["song", "song"], \
        "one track listed twice is no collision"
    app.queue.play_list([ids[0], others[0]], "Mix")
    assert list(app.queue.labels())[0] == "song", "alike only within one list"


def _row(tid: int, path: str, rank: int, **extra) -> dict:
    return {"track_id": tid, "title": "song", "artist": None, "path": path, "rank": rank,
            "score": 0.9, "why": {"text": f"#{rank + 33} by audio alone"}, **extra}


def test_the_command_line_lists_tell_alike_files_apart():
    rows = [_row(5, "/m/Live/song.mp3", 1), _row(6, "/m/Studio/song.mp3", 2),
            {**_row(7, "/m/x/other.mp3", 3), "title": "other"}]
    query = {"track_id": 1, "title": "q", "artist": "A", "path": "/m/q.mp3"}
    text = format_similar(SimilarResult(query=query, graph=[], audio=rows, notes={},
                                        skipped_missing={}, space="audio", folded={},
                                        models={"audio": "m"}), width=80)
    assert "song (Live/)" in text and "song (Studio/)" in text
    assert "other (" not in text and " other " in text
    radio = format_radio(RadioResult(seed=query, tracks=[
        {"track_id": 5, "title": "song", "artist": "B", "path": "/m/F/song.opus", "position": 1},
        {"track_id": 6, "title": "song", "artist": "B", "path": "/m/F/song.m4a", "position": 2}],
        mode="close", space="audio", model=None))
    assert "B - song (opus)  (#5)" in radio and "B - song (m4a)  (#6)" in radio
