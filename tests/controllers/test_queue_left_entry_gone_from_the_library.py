"""A queue left (the user played something else, then closed the window) whose ▶ entry's track
has since gone from the library (its file deleted, a rescan, "Remove missing tracks"): after a
restart it came back with ▶ on the row above, so Previous played one row too far back (a song
heard again). It now comes back as a queue whose ▶ row the user removed does: between the rows
around the gone one, no ▶, Previous the row before, Next the row after — the gone track on the
first, a middle, the last row, with other gone tracks around it. Controllers on a real
library, no Qt; a restart is ``app.close()`` and a new controller on the same data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage.usecases.library import forget_missing_tracks, scan_library
from musicsage.usecases.queue_file import QUEUE_FILE, read_saved_queue

ROWS = 5


def _opened(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def _left_then_gone(make_app, library, at: int, gone: set[int], rows: int = ROWS):
    """A region of ``rows`` tracks played to its row ``at``, a track outside it played (the
    queue is left), the window closed; then the files of rows ``gone`` deleted, the library
    rescanned and its missing tracks removed (``forget --missing``). The queue's ids, and the
    kept file's bytes (the restore writes nothing: each restart reads them again)."""
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:rows + 1]]
    paths = {t: app.library.snapshot.by_id[t].path for t in ids}
    q = app.queue
    q.play_list(ids[:rows], "Region")
    for _ in range(at):
        q.next()
    app.selection.play_track(ids[rows])
    assert not q.active and q.marked == at
    app.close()
    for row in gone:
        Path(paths[ids[row]]).unlink()
    scan_library(library)
    forget_missing_tracks(library)
    return ids, (library.data_dir / QUEUE_FILE).read_bytes()


def _restarted(make_app, library, kept: bytes):
    (library.data_dir / QUEUE_FILE).write_bytes(kept)
    app, _ = _opened(make_app, library)
    return app


def _played(recorder, app, step) -> list[int]:
    play = recorder(app.selection.play)
    step(app.queue)
    return [call[0] for call in play.calls]


CASES = [  # (row of ▶, rows gone, row Previous plays, row Next plays; None: greyed)
    (2, {2}, 1, 3),
    (4, {4}, 3, None),
    (1, {1}, 0, 2),
    (0, {0}, None, 1),
    (2, {1, 2, 3}, 0, 4),
    (2, {2, 4}, 1, 3),
    (3, {0, 3}, 2, 4),
    (4, {3, 4}, 2, None),
    (0, {0, 1}, None, 2),
]


@pytest.mark.parametrize(("at", "gone", "before", "after"), CASES,
                         ids=["middle", "last", "second", "first", "middle, both sides gone",
                              "middle, one after gone", "one before gone", "last two",
                              "first two"])
def test_a_left_queue_whose_entry_left_the_library_comes_back_between_its_neighbours(
        library, make_app, recorder, at, gone, before, after):
    ids, kept = _left_then_gone(make_app, library, at, gone)
    app = _restarted(make_app, library, kept)
    q = app.queue
    assert q.tracks == [t for i, t in enumerate(ids[:ROWS]) if i not in gone]
    assert q.marked == -1, "no ▶: the row it was at is gone"
    assert q.has_previous() == (before is not None)
    assert q.has_next() == (after is not None)
    if before is not None:
        assert _played(recorder, app, lambda q: q.previous(0.0)) == [ids[before]], \
            "the row before the gone one, not one further back"
    if after is not None:
        app.close()
        app = _restarted(make_app, library, kept)
        assert _played(recorder, app, lambda q: q.next()) == [ids[after]]


def test_kept_again_it_stays_between(library, make_app, recorder):
    """A change after the restore writes the queue back as one between two rows (``between``):
    the next restart, the gone track no longer in the file, brings no ▶ back either."""
    ids, kept = _left_then_gone(make_app, library, 2, {2})
    app = _restarted(make_app, library, kept)
    app.queue.add_to_queue(ids[ROWS])  # a change: the queue is written
    app.close()
    saved = read_saved_queue(library.data_dir)
    assert ids[2] not in saved.tracks and saved.between and saved.left
    assert saved.tracks[saved.current] == ids[1]
    app, _ = _opened(make_app, library)
    assert app.queue.marked == -1
    assert _played(recorder, app, lambda q: q.previous(0.0)) == [ids[1]]


def test_play_next_on_the_row_before_moves_it(library, make_app):
    """The row before is no longer taken for the queue's own entry: a track list's Play next
    on it moves it after the gap, as before a restart, not "left where it is"."""
    ids, kept = _left_then_gone(make_app, library, 2, {2})
    app = _restarted(make_app, library, kept)
    app.queue.play_next(ids[1])
    assert "left where it is" not in app.notifications[-1][1]
    assert app.queue.tracks == [ids[0], ids[1], ids[3], ids[4]]
    app.queue.next()
    assert app.queue.tracks[app.queue.current] == ids[1]


def test_the_only_row_gone_restores_no_queue(library, make_app):
    """Guard: a queue of one track, that track gone, is not restored (as before)."""
    _ids, kept = _left_then_gone(make_app, library, 0, {0}, rows=1)
    app = _restarted(make_app, library, kept)
    assert app.queue.tracks == [] and app.queue.marked == -1
    assert ("warning", "Queue not restored: its 1 track is no longer in the library") \
        in app.notifications


def test_a_playing_queue_whose_entry_left_goes_on_with_the_next(library, make_app, recorder):
    """Guard: a queue kept while it played (not left) goes on with the entry after the gone
    one on Play, as before."""
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:ROWS]]
    path = app.library.snapshot.by_id[ids[2]].path
    app.queue.play_list(ids, "Region")
    app.queue.next()
    app.queue.next()
    app.close()
    Path(path).unlink()
    scan_library(library)
    forget_missing_tracks(library)
    app, _ = _opened(make_app, library)
    assert _played(recorder, app, lambda q: q.start()) == [ids[3]]


def test_a_playing_queue_whose_last_entry_left_is_between_too(library, make_app, recorder):
    """A queue kept while it played its last entry, whose track then left: nothing follows for
    Play to go on with, so it is left as that row removed leaves it — no ▶ on the row before
    (Previous then played the one before that, skipping a row)."""
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    path = app.library.snapshot.by_id[ids[2]].path
    app.queue.play_list(ids, "Region")
    app.queue.next()
    app.queue.next()
    app.close()
    Path(path).unlink()
    scan_library(library)
    forget_missing_tracks(library)
    app, _ = _opened(make_app, library)
    assert app.queue.tracks == ids[:2] and app.queue.marked == -1
    assert not app.queue.has_next()
    assert _played(recorder, app, lambda q: q.previous(0.0)) == [ids[1]]


def test_a_removed_row_whose_row_before_left_too_stays_between(library, make_app, recorder):
    """Guard: a left queue kept between two rows (its ▶ row removed), the row before that gap
    then gone from the library: still between, Previous the row before both."""
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:ROWS + 1]]
    path = app.library.snapshot.by_id[ids[1]].path
    q = app.queue
    q.play_list(ids[:ROWS], "Region")
    q.next()
    q.next()
    app.selection.play_track(ids[ROWS])
    q.remove(2)
    app.close()
    Path(path).unlink()
    scan_library(library)
    forget_missing_tracks(library)
    app, _ = _opened(make_app, library)
    assert app.queue.tracks == [ids[0], ids[3], ids[4]] and app.queue.marked == -1
    assert _played(recorder, app, lambda q: q.previous(0.0)) == [ids[0]]
