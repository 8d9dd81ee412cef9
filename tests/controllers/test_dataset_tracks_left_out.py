"""Tracks imported from a dataset dir (no audio file) in the window's queue and its Save as
playlist…: told apart from missing files, and counted as the Playlist tab counts them. Playing
such a playlist said "95 tracks missing" while ``stats`` said none was missing and the tab
"79 without an audio file"; saving a list of them wrote a playlist of its header alone,
"saved 0 tracks". No window, no Qt."""

from __future__ import annotations

import pytest

from musicsage.controllers.playlist_tracks import playlist_tracks
from musicsage.usecases.library import import_dataset


@pytest.fixture
def app(library, make_app, tmp_path):
    """The scanned library of tests/controllers/conftest.py (12 tracks with files), plus a
    dataset dir's 3 tracks: playlist "set" holds the 3 and an id tracks.csv lacks."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\nt0,A,X\nt1,B,X\nt2,C,Y\n",
                                  encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\nset,t0\nset,t1\nset,t2\n"
                                       "set,gone\n", encoding="utf-8")
    import_dataset(library, d)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return app


def _set(app) -> int:
    snap = app.library.snapshot
    return next(p.id for p in snap.playlists if snap.playlist_name(p) == "set")


def test_a_playlist_without_audio_files_says_so_not_missing(app):
    snap = app.library.snapshot
    assert snap.stats.tracks.missing == 0
    pid = _set(app)
    assert not app.queue.play_playlist(pid)
    line = ("'set' has no track that can play: 3 tracks without an audio file, "
            "1 entry not in the library")
    assert app.notifications[-1] == ("warning", line)
    # the counts and words of the Playlist tab's heading
    assert playlist_tracks(snap, pid).heading.endswith(
        "\n3 without an audio file · 1 entry not in the library")


def test_saving_a_queue_leaves_out_the_tracks_without_a_file_and_says_so(app, tmp_path):
    snap = app.library.snapshot
    with_file = [t.id for t in snap.tracks if t.has_file][:2]
    no_file = [t.id for t in snap.tracks if not t.has_file]
    out = tmp_path / "q.m3u8"
    app.save_tracks(str(out), [with_file[0], no_file[0], with_file[1]], "Queue")
    app.runner.drain()
    assert app.notifications[-1] == (
        "info", f"Saved 2 tracks to {out} (1 without an audio file left out)")
    assert [ln for ln in out.read_text(encoding="utf-8").splitlines()
            if not ln.startswith("#")] == [snap.by_id[t].path for t in with_file]


def test_saving_a_list_of_tracks_without_files_writes_nothing(app, tmp_path):
    no_file = [t.id for t in app.library.snapshot.tracks if not t.has_file]
    out = tmp_path / "q.m3u8"
    app.save_tracks(str(out), no_file, "Queue")
    app.runner.drain()
    assert app.notifications[-1] == (
        "error", "save playlist: no track of the list has an audio file (imported from a "
                 "dataset dir): nothing was written")
    assert not out.exists()
