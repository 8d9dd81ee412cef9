"""A kept queue ties each track id to its path, so that a library built anew in the same
folder does not bring back unrelated tracks. A folder renamed while the window was closed,
then scanned (``musicsage scan``, ``scan --watch``), moves its tracks: same ids, other paths.
They were left out of the restored queue as "no longer in the library" (the playing one too),
and the next change wrote the queue without them. The scan records each move
(``track_moves``): a track moved from the path kept is the track kept."""

from __future__ import annotations

import os
from pathlib import Path

from musicsage.usecases.library import scan_library


def _opened(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app


def test_a_folder_renamed_while_the_window_was_closed_keeps_its_tracks_queued(
        library, make_app):
    app = _opened(make_app, library)
    ids = [t.id for t in sorted(app.library.snapshot.tracks, key=lambda t: t.path)[:4]]
    app.queue.play_list(ids, "Playlist: Mix (4 tracks)")
    app.queue.next()
    app.queue.next()
    playing = app.queue.current
    folder = Path(app.library.snapshot.by_id[ids[0]].path).parent
    app.close()

    os.rename(folder, folder.with_name(folder.name + " (2019)"))
    scan_library(library)

    app = _opened(make_app, library)
    assert app.queue.tracks == ids and app.queue.current == playing
    assert app.queue.name == "Playlist: Mix (4 tracks)"
    assert ("info", "Queue restored: 4 tracks") in app.notifications
    assert Path(app.library.snapshot.by_id[ids[0]].path).parent != folder, "it was moved"


def test_a_library_built_anew_still_restores_nothing_of_another(library, make_app):
    """The guard the paths are for: a track id the scan never recorded as moved, with another
    path, is another track (here: the path kept is one the library never had)."""
    from dataclasses import replace

    from musicsage.usecases.queue_file import encode, read_saved_queue, write_saved_queue

    app = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    app.queue.play_list(ids, "Playlist: Mix (3 tracks)")
    app.close()
    saved = read_saved_queue(library.data_dir)
    write_saved_queue(library.data_dir, encode(replace(
        saved, paths={t: f"/elsewhere/{t}.flac" for t in saved.paths})))

    app = _opened(make_app, library)
    assert app.queue.tracks == []
