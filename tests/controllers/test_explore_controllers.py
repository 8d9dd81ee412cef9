"""Suggestions, the play queue (radio), map regions and variety without a window: the
controllers on a real library through an InlineRunner."""

from __future__ import annotations

from pathlib import Path

from musicsage.library.db import connect
from musicsage.usecases.library import playlist_track_ids


def loaded(make_app, ctx, **options):
    app, runner = make_app(ctx, **options)
    app.library.reload()
    runner.drain()
    return app, runner


def test_choosing_a_playlist_suggests_tracks_outside_it(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    loading, lists = recorder(app.suggestions.loading), recorder(app.suggestions.loaded)
    playlist = app.library.snapshot.playlists[0]
    members = set(playlist_track_ids(library, playlist.id))
    app.suggestions.show(playlist.id)
    runner.drain()
    assert loading.calls == [(playlist.name,)]
    result = lists.last[0]
    listed = [r["track_id"] for r in result.audio]
    assert listed and not members & set(listed) and result.graph == []
    assert all(r["why"]["text"] for r in result.audio)
    assert app.suggestions.why("audio", listed[0]) == result.audio[0]["why"]["text"]
    app.suggestions.show(None)
    assert app.suggestions.result is None


def test_add_to_playlist_writes_the_file_then_shows_it_grown(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    playlist = app.library.snapshot.playlists[0]
    path = Path(playlist.path)
    before = path.read_bytes()
    app.suggestions.show(playlist.id)
    runner.drain()
    chosen = [r["track_id"] for r in app.suggestions.result.audio[:2]]
    added = recorder(app.suggestions.added)
    app.suggestions.add(chosen)
    runner.drain()
    assert added.last[0].added == chosen
    assert path.read_bytes().startswith(before)
    assert playlist_track_ids(library, playlist.id)[-2:] == chosen
    assert app.notifications[-1][1].startswith(f"Added 2 tracks to {path.name} (backup: ")
    # re-read and re-asked: the added tracks are members now, never suggested
    assert app.library.snapshot.playlist_sizes()[playlist.id] == len(playlist_track_ids(library, playlist.id))
    assert not set(chosen) & {r["track_id"] for r in app.suggestions.result.audio}


def test_a_playlist_edited_elsewhere_is_refused_untouched_until_rescanned(library, make_app):
    """Then the user does what the message says (re-scan; the folder watch does it by
    itself) and adds again — once refused forever, the suggestions on screen keeping the hash
    of the file as they first read it."""
    app, runner = loaded(make_app, library)
    playlist = app.library.snapshot.playlists[1]
    app.suggestions.show(playlist.id)
    runner.drain()
    path = Path(playlist.path)
    path.write_text(path.read_text(encoding="utf-8") + "# edited in another player\n",
                    encoding="utf-8")
    edited = path.read_bytes()
    app.suggestions.add([app.suggestions.result.audio[0]["track_id"]])
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "error" and "changed on disk" in text and "\n" not in text
    assert path.read_bytes() == edited
    app.library.scan([], playlists=[str(path)])  # Rescan / the folder watch
    runner.drain()
    chosen = app.suggestions.result.audio[0]["track_id"]
    app.suggestions.add([chosen])
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "info" and text.startswith("Added 1 track to"), text
    assert path.read_bytes().startswith(edited) and len(path.read_bytes()) > len(edited)
    assert playlist_track_ids(library, playlist.id)[-1] == chosen


def test_play_similar_keeps_playing_neighbours_without_repeats(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    play = recorder(app.selection.play)
    seed = app.library.snapshot.tracks[0].id
    app.queue.play_similar(seed)
    runner.drain()
    q = app.queue
    assert q.tracks[0] == seed and len(q.tracks) == 12 and len(set(q.tracks)) == 12
    assert "audio neighbours" in q.note, "no graph model: the radio says what it follows"
    assert [c[0] for c in play.calls] == [seed] and q.active
    q.track_ended()
    assert play.last[0] == q.tracks[1] and q.current == 1
    # a missing file's turn is skipped
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (q.tracks[2],))
    app.library.reload()
    runner.drain()
    q.track_ended()
    assert play.last[0] == q.tracks[3] and q.current == 3
    # reorder, remove; the playing track stays current
    playing = q.tracks[3]
    q.move(3, 0)
    assert q.tracks[0] == playing and q.current == 0
    q.remove(1)
    assert len(q.tracks) == 11 and q.tracks[q.current] == playing
    # something else plays: the queue stops following the player
    app.selection.play_track(q.tracks[5])
    assert not q.active
    q.track_ended()
    assert play.last[0] == q.tracks[5]
    q.clear()
    assert q.tracks == [] and not q.active


def test_the_queue_is_saved_in_its_order(library, make_app, tmp_path):
    app, runner = loaded(make_app, library)
    app.selection.can_play = lambda: False
    seed = app.library.snapshot.tracks[3].id
    app.queue.play_similar(seed)
    runner.drain()
    app.queue.move(5, 1)
    out = tmp_path / "radio.m3u8"
    app.queue.save_playlist(str(out))
    runner.drain()
    paths = [ln for ln in out.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    by_id = app.library.snapshot.by_id
    assert paths == [by_id[t].path for t in app.queue.tracks]


def test_a_map_region_plays_in_walking_order_and_saves(library, make_app, recorder, tmp_path):
    app, runner = loaded(make_app, library)
    play = recorder(app.selection.play)
    pts = app.map.points
    (x0, y0), (x1, y1) = pts.xy.min(axis=0) - 1, pts.xy.max(axis=0) + 1
    xm = (x0 + x1) / 2
    region = app.map_tools.select_rect(x0, y0, xm, y1)
    inside = {int(t) for t, (x, _y) in zip(pts.track_ids, pts.xy) if x < xm}
    assert set(region) == inside and len(region) == len(inside)
    xy = {int(t): p for t, p in zip(pts.track_ids, pts.xy)}
    assert xy[region[0]][0] == min(xy[t][0] for t in region), "starts at the leftmost track"
    app.map_tools.play_region()
    assert app.queue.tracks == region and play.last[0] == region[0] and not app.queue.radio
    out = tmp_path / "region.m3u8"
    app.map_tools.save_region(str(out))
    runner.drain()
    assert len([ln for ln in out.read_text().splitlines() if not ln.startswith("#")]) == len(region)
    assert app.map_tools.select_polygon([(x0, y0), (x0 + 1e-6, y0), (x0, y0 + 1e-6)]) == []


def test_search_matches_every_track_for_the_map(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    matched = recorder(app.map_tools.matched)
    app.map_tools.search("Techno")
    runner.drain()
    techno = {t.id for t in app.library.snapshot.tracks if "Techno" in (t.title or "")}
    assert set(matched.last[0]) == techno and techno
    app.map_tools.search("")
    assert matched.last == ([],)


def test_variety_switch_reaches_both_lists(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    app.selection.play_on_select = False
    switched = recorder(app.variety_changed)
    app.selection.select(app.library.snapshot.tracks[0].id)
    app.suggestions.show(app.library.snapshot.playlists[0].id)
    runner.drain()
    app.set_variety(True)
    runner.drain()
    assert switched.calls == [(True,)]
    for result in (app.selection.result, app.suggestions.result):
        artists = [r["artist"] for r in result.audio]
        assert result.variety and len(artists) == len(set(artists))


WHEEL = Path(__file__).resolve().parents[2] / "models" / "musicnn-0.1.0-py3-none-any.whl"


def test_tagging_the_library_lets_why_name_shared_tags(library, capsys):
    """``tags --library`` (MusiCNN, real checkpoints) fills the cache that "why" reads; a
    second run has nothing left to do."""
    import json

    import pytest

    from musicsage import cli

    if not WHEEL.is_file():
        pytest.skip(f"{WHEEL.name} absent: scripts/setup.sh downloads it into models/")
    data_dir = ["--data-dir", str(library.data_dir)]
    assert cli.main(["tags", "--library", "--limit", "6", "--json", *data_dir]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["tagged"] == 6 and first["known"] == 0 and first["failed"] == []
    assert cli.main(["tags", "--library", "--json", *data_dir]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["tagged"] == 6 and second["known"] == 6
    assert cli.main(["similar", "1", "-k", "11", "--json", *data_dir]) == 0
    rows = json.loads(capsys.readouterr().out)["audio"]
    assert rows and all(isinstance(r["why"]["tags"], list) for r in rows), "every track tagged"
    assert any(r["why"]["tags"] for r in rows), "1-s tones share some MusiCNN tags"
    assert cli.main(["tags", *data_dir]) == 1
    assert "give an audio FILE" in capsys.readouterr().err


def test_tags_that_cannot_be_computed_are_one_word_with_the_reason_apart(library, make_app,
                                                                        recorder, monkeypatch):
    """Without the MusiCNN weights the tags line once held the whole 300-character reason,
    cut off after three lines of the track's details; the reason now goes apart (the
    window's tooltip)."""
    import musicsage.controllers.selection as selection
    from musicsage.errors import MusicsageError
    from musicsage.usecases.execution import Mode, runs

    reason = ("could not download the MusiCNN checkpoints from PyPI (HTTP 404 for https://pypi.org/"
              "pypi/musicnn/0.1.0/json): run `pip download musicnn==0.1.0 --no-deps -d DIR` where "
              "PyPI is reachable and put musicnn-0.1.0-py3-none-any.whl into DIR = /x/models")

    @runs(Mode.LOOKUP)
    def no_tagger(ctx, track_id, top=10, *, progress=None, cancel=None):
        raise MusicsageError(reason)

    monkeypatch.setattr(selection, "track_tags_of", no_tagger)
    app, runner = loaded(make_app, library)
    lines = recorder(app.selection.tags)
    app.selection.select(app.library.snapshot.tracks[0].id, play=False)
    runner.drain()
    assert lines.last == ("unavailable", reason)
    assert not [n for n in app.notifications if n[0] == "error"], "shown on the tags line only"


def test_a_read_only_playlist_is_refused_untouched(library, make_app):
    """A playlist file made read-only was still rewritten by "Add to playlist" (a new file
    renamed over it, given the old one's read-only mode)."""
    import os
    import stat

    app, runner = loaded(make_app, library)
    playlist = app.library.snapshot.playlists[2]
    app.suggestions.show(playlist.id)
    runner.drain()
    path = Path(playlist.path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        app.suggestions.add([app.suggestions.result.audio[0]["track_id"]])
        runner.drain()
        assert path.read_bytes() == before
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
    finally:
        os.chmod(path, 0o644)
    level, text = app.notifications[-1]
    assert level == "error" and "read-only" in text and "\n" not in text
    assert not list((Path(library.data_dir) / "playlist-backups").glob("*")), "no backup made"


def test_a_map_carries_over_only_as_the_same_layout_of_mostly_the_same_points():
    """Which map loads keep the user's view (the window fits the others)."""
    import numpy as np

    from musicsage.controllers.map import carries_over
    from musicsage.search.types import MapPoints

    def pts(ids, method="cached", model="graph-2"):
        ids = np.asarray(ids, np.int64)
        return MapPoints(ids, np.zeros((len(ids), 2), np.float32), "graph", model, method=method)

    shown = pts(range(10), method="umap")
    assert carries_over(shown, "graph", pts(range(10)), "graph")
    assert carries_over(shown, "graph", pts(range(12), method="placed"), "graph")
    assert not carries_over(None, None, pts(range(10)), "graph"), "the first map fits"
    assert not carries_over(shown, "audio", pts(range(10)), "graph"), "another space"
    assert not carries_over(shown, "graph", pts(range(10), model="graph-3"), "graph")
    assert not carries_over(shown, "graph", pts(range(10), method="umap"), "graph")
    assert not carries_over(shown, "graph", pts(range(10)), "graph", relayout=True)
    assert not carries_over(shown, "graph", pts(range(6, 30), method="placed"), "graph")


def test_a_radio_that_runs_out_of_tracks_stops_asking_and_says_so(library, make_app, recorder):
    """Once every track it can reach was queued, each refill brought nothing, the queue asked
    again at once, and the window stayed busy for good (hundreds of radio jobs a second)."""
    app, runner = loaded(make_app, library)
    play = recorder(app.selection.play)
    q = app.queue
    q.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    for _ in range(len(q.tracks) + 2):  # play the whole library, track after track
        q.track_ended()
        runner.drain()
    assert len(set(q.tracks)) == len(app.library.snapshot.tracks) == len(q.tracks)
    assert runner.ran.count("radio") <= 3 and not runner.busy
    assert "no more tracks for this radio" in q.note
    assert not q.active and play.last[0] == q.tracks[-1]


def test_a_radio_whose_next_tracks_have_no_file_stops_asking(library, make_app):
    """Every file gone (a drive unplugged): each refill brought tracks that cannot play."""
    app, runner = loaded(make_app, library)
    q = app.queue
    seed = app.library.snapshot.tracks[0].id
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id != ?", (seed,))
    app.library.reload()
    runner.drain()
    q.play_similar(seed)
    runner.drain()
    q.track_ended()
    runner.drain()
    assert runner.ran.count("radio") == 1 and not runner.busy
    assert "no more tracks" in q.note and not q.active


def _full_disk_at_write(monkeypatch, nth: int) -> None:
    """The ``nth`` file opened for writing by the playlist editor takes half of what it is
    given, then finds the disk full (the backup is the first, the new playlist the second)."""
    import errno
    import os

    import musicsage.library.playlists.edit as edit

    real_fdopen, opened = os.fdopen, [0]

    class HalfThenFull:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            self.fh.write(bytes(data)[: len(data) // 2])
            self.fh.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def fdopen(fd, mode="r", *args, **kwargs):
        fh = real_fdopen(fd, mode, *args, **kwargs)
        opened[0] += "w" in mode
        return HalfThenFull(fh) if "w" in mode and opened[0] == nth else fh

    monkeypatch.setattr(edit.os, "fdopen", fdopen)


def test_a_full_disk_while_adding_leaves_the_playlist_and_no_half_backup(library, make_app,
                                                                         monkeypatch):
    """The disk filling while the backup was written left half a file under a backup's name
    (and the window showed a traceback); filling while the playlist was written left the
    backup of a file that was never changed. Now: one line, the file as it was, no backup."""
    app, runner = loaded(make_app, library)
    # the playlist files are the session template's, shared by every test here: one that no
    # other test writes (0: added to, 1: edited elsewhere, 2: made read-only)
    playlist = app.library.snapshot.playlists[3]
    path = Path(playlist.path)
    before = path.read_bytes()
    backups = Path(library.data_dir) / "playlist-backups"
    for nth in (1, 2):
        app.suggestions.show(playlist.id)
        runner.drain()
        with monkeypatch.context() as patch:
            _full_disk_at_write(patch, nth)
            app.suggestions.add([app.suggestions.result.audio[0]["track_id"]])
            runner.drain()
        level, text = app.notifications[-1]
        assert level == "error" and "No space left on device" in text and "\n" not in text
        assert "the file was not touched" in text
        assert path.read_bytes() == before
        assert not list(backups.glob("*")) if backups.exists() else True
