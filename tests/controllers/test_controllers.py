"""The window's behaviour without a window: each controller driven through an InlineRunner on a
real library (real DB, real audio vectors, real neighbour search and map)."""

from __future__ import annotations

from pathlib import Path

from music_support import make_music
from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.usecases.library import playlist_track_ids
from musicsage.usecases.training import current_graph_model


def loaded(make_app, ctx, **options):
    app, runner = make_app(ctx, **options)
    app.library.reload()
    runner.drain()
    return app, runner


def test_the_library_and_its_map_load_without_a_window(library, make_app, recorder):
    app, runner = make_app(library)
    snapshots, maps = recorder(app.library.loaded), recorder(app.map.loaded)
    messages = recorder(app.map.message)
    app.library.reload()
    runner.drain()
    assert runner.ran == ["library", "search index", "warm search", "map"]
    snap = app.library.snapshot
    assert snapshots.calls == [(snap,)]
    assert snap.stats.tracks.total == 12 and snap.audio_model == "spectral"
    assert snap.graph_model is None and not snap.needs_embedding
    points, space = maps.last
    assert space == "audio" and sorted(points.track_ids) == sorted(snap.by_id)
    assert app.map.preferred_space == "graph", "the user's choice is kept for when a model exists"
    assert messages.calls[0] == ("Computing the map…",)
    app.map.colour_by = "artist"
    codes, names, _other = app.map.colouring(points.track_ids)
    assert sorted(names) == sorted({t.artist for t in snap.tracks}) and (codes >= 0).all()
    playlist = snap.playlists[0]  # what the Playlist tab lists and the map outlines
    app.playlist_tracks.show(playlist.id)
    assert ([r.track_id for r in app.playlist_tracks.view.rows]
            == playlist_track_ids(library, playlist.id))


def test_adding_music_walks_the_pipeline_scan_then_embed(library, make_app, recorder, tmp_path):
    app, runner = loaded(make_app, library)
    app.library.embed_model = "spectral"
    status = recorder(app.tasks.shown, app.tasks.hidden)
    more, playlists, _ = make_music(tmp_path / "more", n_tracks=4, seed=3)
    playlist = sorted(playlists.iterdir())[0]
    assert not app.library.add_dropped([])
    assert app.library.add_dropped([str(more), str(playlist)])
    runner.drain()
    assert runner.ran[4:] == ["Scanning", "library", "search index", "warm search", "map",
                              "Computing embeddings", "library", "search index", "warm search",
                              "map"]
    texts = [text for _level, text in app.notifications]
    assert texts[0].startswith("Scan finished: 4 new, 1 playlist imported")
    assert texts[1] == "Embeddings computed with spectral: 4 tracks"
    snap = app.library.snapshot
    assert snap.stats.tracks.total == 16 and not snap.needs_embedding
    assert ("Scanning",) in status.calls and status.last == () and app.tasks.current is None

    app.library.scan([])  # a rescan that finds nothing new embeds nothing
    runner.drain()
    assert runner.ran[-5:] == ["Scanning", "library", "search index", "warm search", "map"]


def test_a_dropped_music_players_library_is_imported_as_playlists(library, make_app, tmp_path):
    """Rhythmbox's playlists.xml (no playlist extension: known by its content) dropped on the
    window is imported, not scanned as music — which would skip it without a word."""
    from urllib.parse import quote

    app, runner = loaded(make_app, library)
    before = len(app.library.snapshot.playlists)
    tracks = sorted(app.library.snapshot.tracks, key=lambda t: t.id)[:2]
    locations = "".join(f"<location>file://{quote(t.path)}</location>" for t in tracks)
    rb = tmp_path / "rhythmbox" / "playlists.xml"
    rb.parent.mkdir()
    rb.write_text('<?xml version="1.0"?><rhythmdb-playlists><playlist name="Evening" '
                  f'type="static">{locations}</playlist></rhythmdb-playlists>', encoding="utf-8")
    assert app.library.add_dropped([str(rb)])
    runner.drain()
    assert "Importing playlists" in runner.ran and "Scanning" not in runner.ran
    snap = app.library.snapshot
    evening = next(p for p in snap.playlists if p.name == "Evening")
    assert len(snap.playlists) == before + 1
    assert playlist_track_ids(library, evening.id) == [t.id for t in tracks]


def test_selecting_a_track_shows_neighbours_and_tags_and_plays_it(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    changed, lists = recorder(app.selection.changed), recorder(app.selection.neighbours_loaded)
    tags, play = recorder(app.selection.tags), recorder(app.selection.play)
    snap = app.library.snapshot
    first, second = snap.tracks[5], snap.tracks[6]
    app.selection.select(first.id)
    app.selection.select(second.id)  # a second click before the first answers: only it shows
    runner.drain()
    assert [c[0] for c in changed.calls] == [first.id, second.id]
    assert len(lists) == 1 and len(tags) == 1
    result = lists.last[0]
    assert result.query["track_id"] == second.id and len(result.audio) == 10
    assert result.graph == [] and "no trained graph model" in result.note_for("graph")
    # the window shows this note too (the Suggestions tab): in the window's words, what to
    # press — not "run: musicsage train", nor "Retrain in the window, or musicsage train"
    assert "Retrain in the window" in result.note_for("graph")
    assert app.suggestions.notes(result)["graph"] == "No trained graph model yet (press Retrain)."
    assert tags.last[0], "tags, or why they are unavailable"
    assert [c[:2] for c in play.calls] == [(first.id, first.fs_path), (second.id, second.fs_path)]
    selected, graph_ids, audio_ids = app.selection.marks()
    assert selected == second.id and graph_ids == [] and audio_ids == [r["track_id"]
                                                                       for r in result.audio]


def test_a_loaded_library_answers_the_first_click_without_reading_its_vectors(
        library, make_app, monkeypatch):
    """Loading a library warms its search spaces in the background: the first click is then a
    query, not a read of every vector (tens of seconds at 100,000 tracks)."""
    from musicsage.usecases.spaces import SearchSpaces

    app, runner = loaded(make_app, library)
    assert runner.ran.count("warm search") == 1, "the spaces are read once the library is loaded"
    reads: list[str] = []
    real = SearchSpaces._vectors
    monkeypatch.setattr(SearchSpaces, "_vectors",
                        lambda self, space: reads.append(space) or real(self, space))
    app.selection.select(app.library.snapshot.tracks[3].id)
    runner.drain()
    assert "neighbours" in runner.ran and "audio" not in reads  # (no graph model: nothing to read)


def test_a_missing_file_is_a_warning_and_no_player_means_no_play(library, make_app, recorder):
    app, runner = make_app(library)
    track = 3
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (track,))
    app.library.reload()
    runner.drain()
    play = recorder(app.selection.play)
    app.selection.play_track(track)
    assert play.calls == [] and app.notifications[-1][0] == "warning"
    assert "missing" in app.notifications[-1][1]


def test_a_play_without_sound_says_why_each_time_it_is_asked(library, make_app, recorder):
    """No audio device: each play (a double-click, a map click, the radio) used to do nothing
    at all; it says why on the status line now: once a session for those, again for each Play
    press (``asked``), not once per track of a queue."""
    app, runner = loaded(make_app, library)
    play = recorder(app.selection.play)
    now = [100.0]
    app.selection.clock = lambda: now[0]
    app.selection.can_play = lambda: False
    app.selection.cannot_play_reason = lambda: ("playback disabled: no audio output device "
                                                "(Error querying device -1)")
    first, second = app.library.snapshot.tracks[:2]
    app.selection.play_track(first.id)
    assert play.calls == [] and app.notifications[-1] == (  # no track: none can play
        "warning", "Cannot play tracks: no audio output device found "
                   "(connect one, then restart musicsage)")
    told = len(app.notifications)
    now[0] += 0.3
    app.selection.play_track(second.id)
    assert len(app.notifications) == told  # the same gesture's second call: not repeated
    now[0] += 2.0
    app.selection.play_track(second.id)  # another click: the player bar says it meanwhile
    assert len(app.notifications) == told
    app.selection.play_track(second.id, asked=True)  # Play pressed for it: told again
    assert len(app.notifications) == told + 1
    assert app.notifications[-1][1].startswith("Cannot play tracks: no audio output device")
    assert play.calls == []


def test_empty_neighbour_lists_say_their_files_are_missing(library, make_app):
    """Every file missing (a drive unplugged, then Rescan): missing files are never listed,
    so the lists are empty; they said "No audio embeddings for this track" (and "No graph
    model yet" beside a graph model) instead of the real reason."""
    from musicsage.controllers.selection import NO_GRAPH_NOTE, empty_list_note, missing_note
    from musicsage.search.types import SimilarResult

    connect(library).execute("UPDATE tracks SET status = 'missing'").connection.commit()
    app, runner = loaded(make_app, library)
    app.selection.play_on_select = False
    app.selection.select(app.library.snapshot.tracks[0].id)
    runner.drain()
    result = app.selection.result
    assert result.audio == [] and result.graph == []
    assert app.selection.empty_notes(result) == {"graph": NO_GRAPH_NOTE,
                                                 "audio": missing_note(12)}
    assert missing_note(12) == ("No neighbours to show: their files are missing (12 tracks "
                                "missing — reconnect the drive or Rescan).")
    with_model = SimilarResult(query=result.query)  # a graph model, every other file gone
    assert empty_list_note(with_model, "graph", graph_available=True,
                           missing=240) == missing_note(240)


def test_saving_a_neighbour_list_writes_the_query_then_that_list(library, make_app, tmp_path):
    app, runner = loaded(make_app, library)
    app.selection.play_on_select = False
    track = app.library.snapshot.tracks[2]
    app.selection.select(track.id)
    runner.drain()
    out = tmp_path / "near.m3u8"
    assert app.selection.default_playlist_path("audio").name == f"Similar to {track.title} (audio).m3u8"
    app.selection.save_playlist(str(out), "audio")
    runner.drain()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert f"#PLAYLIST:Similar to {track.title} (audio only)" in lines
    paths = [line for line in lines if line and not line.startswith("#")]
    assert paths == [track.path] + [r["path"] for r in app.selection.result.audio]
    assert app.notifications[-1][1] == (f"Saved {track.title} and its {len(paths) - 1} "
                                        f"neighbours to {out}")  # the track, then them


def test_retrain_shows_progress_then_uses_the_new_model(trainable_library, make_app, recorder):
    app, runner = make_app(trainable_library, train_options={"max_steps": 20})
    t = app.training
    started, progress = recorder(t.started), recorder(t.progress)
    finished, done, running = recorder(t.finished), recorder(t.done), recorder(t.running_changed)
    raised = recorder(t.raised)
    task = t.start()
    assert t.start() is task and len(raised) == 1, "Retrain while training shows the run"
    runner.drain()
    assert started.calls == [(None,)] and running.calls == [(True,), (False,)]
    steps = [p.extra["step"] for (batch,) in progress.calls for p in batch if "loss" in p.extra]
    assert steps and steps == sorted(steps)
    outcome, metrics, message, best = finished.last
    assert outcome == "succeeded" and metrics["graph"]["hr@10"] >= 0 and best <= 20
    assert message.startswith("Training finished: the new model is in use (20 steps")
    assert done.calls == [("succeeded",)] and not t.running
    assert app.library.snapshot.graph_model is not None and app.map.space == "graph"


def test_a_retrain_that_scores_below_the_model_it_replaces_says_so(trainable_library,
                                                                    make_app, recorder):
    """It is in use all the same (the user asked for it); the dock's line tells them."""
    app, runner = make_app(trainable_library, train_options={"max_steps": 20})
    finished = recorder(app.training.finished)
    app.training.start()
    runner.drain()
    assert "below" not in finished.last[2]  # nothing to compare with
    connect(trainable_library).execute(  # as if the model in use had scored perfectly
        "UPDATE graph_models SET metrics = json_set(metrics, '$.graph.\"hr@10\"', 1.0)"
        " WHERE is_current = 1")
    app.library.reload()
    runner.drain()
    app.training.start()
    runner.drain()
    outcome, metrics, message, _best = finished.last
    assert outcome == "succeeded"
    assert message.endswith(f"Its HR@10 is {metrics['graph']['hr@10']:.3f}, below the 1.000 of "
                            "the model it replaced (each on its own held-out memberships).")


def test_cancelled_training_keeps_the_previous_model(trainable_library, make_app, recorder):
    app, runner = make_app(trainable_library, train_options={"max_steps": 20})
    finished, cancelling = recorder(app.training.finished), recorder(app.training.cancelling)
    app.training.start()
    app.training.cancel()
    runner.drain()
    assert len(cancelling) == 1 and finished.last[0] == "cancelled"
    # no model before it: none is "still in use" (it said "the previous model")
    assert app.notifications[-1] == ("info", "Training cancelled: no graph model yet")
    assert finished.last[2] == "Training cancelled: no graph model yet"
    assert current_graph_model(trainable_library) is None


def test_the_demo_opens_in_its_own_library_and_adding_music_leaves_it(library, make_app,
                                                                      recorder, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    # the smallest demo (8 one-second tracks): its build, not its size, is what is looked at
    small = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="embed", workers=1)
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=small)
    contexts, busy, idle = (recorder(app.context_changed), recorder(app.demo.busy),
                            recorder(app.demo.idle))
    stages = []
    app.demo.progress.connect(lambda p: stages.append(p.stage))
    app.demo.open()
    runner.drain()  # the read before the switch runs on a worker
    assert app.ctx == demo and contexts.calls == [(demo,)] and len(busy) == 1
    runner.drain()
    assert len(idle) == 1 and app.demo.task is None
    assert stages and stages[-1] == "embed", "the build's latest stage is what a view shows"
    assert app.notifications[-1][1].startswith("Demo library ready")
    assert app.demo.showing_demo and app.library.snapshot.stats.tracks.total == 8

    more, _playlists, _ = make_music(tmp_path / "mine", n_tracks=2, seed=5)
    app.library.scan([str(more)])
    assert app.ctx == library and not app.demo.showing_demo
    assert "Switched from the demo to your own library" in [t for _l, t in app.notifications]
    runner.drain()
    assert app.library.snapshot.stats.tracks.total == 14


def test_failures_reach_the_one_notification_place_except_quiet_ones(library, make_app,
                                                                      recorder, tmp_path):
    app, runner = loaded(make_app, library)
    messages = recorder(app.map.message)
    app.library.scan([str(tmp_path / "not-there")])
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "error" and text.startswith("Scanning: ") and "not-there" in text
    app.task_failed("map", "no vectors", "")  # shown on the map, not as an error box
    assert app.notifications[-1][1] == text and len(messages) == 0
    assert Path(library.db_path).is_file() and app.library.snapshot.stats.tracks.total == 12


def test_what_another_process_changed_is_reloaded_and_nothing_else_is(library, make_app,
                                                                         tmp_path):
    """A command in a terminal (here: a scan through a connection of its own) adds tracks
    while the window is open; the window's periodic check reloads the library once. Before,
    the window kept the old tracks, playlists and model until the user did something."""
    from musicsage.usecases.library import scan_library

    app, runner = loaded(make_app, library)
    app.library.check_for_changes()  # its own reload changed nothing since it read the stamp
    runner.drain()
    assert runner.ran[-1] == "library changes" and runner.ran.count("library") == 1
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=3, seed=5)
    scan_library(AppContext.create(library.data_dir), [str(more)])
    app.library.check_for_changes()
    runner.drain()
    assert runner.ran[-5:] == ["library changes", "library", "search index", "warm search",
                              "map"]
    assert app.library.snapshot.stats.tracks.total == 15
    app.library.check_for_changes()
    runner.drain()
    assert runner.ran[-1] == "library changes", "one reload per change"


def test_colouring_by_a_tag_no_track_has_says_so(make_app, tmp_path):
    """Colouring an imported library (no genre tags) by genre tag drew every point one colour
    with no legend at all; the legend's one entry now says why."""
    import numpy as np

    from musicsage.usecases.library import import_dataset

    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"t{i},Song {i},Band {i % 2}\n" for i in range(6)), encoding="utf-8")
    np.save(d / "features.npy", np.eye(6, dtype=np.float32))
    ctx = AppContext.create(tmp_path / "lib")
    import_dataset(ctx, d)
    app, _runner = loaded(make_app, ctx)
    ids = np.array(sorted(app.library.snapshot.by_id))
    app.map.colour_by = "tag"
    codes, names, other = app.map.colouring(ids)
    assert names == [] and (codes < 0).all() and other == "no track has a genre tag"
    app.map.colour_by = "artist"
    codes, names, other = app.map.colouring(ids)
    assert sorted(names) == ["Band 0", "Band 1"] and other == "other"


def test_colouring_by_playlist_counts_the_playlists_left_over_in_words(make_app, tmp_path):
    """One playlist past the legend's twelve read "1 other playlists or none"."""
    import numpy as np

    from musicsage.controllers.colouring import MAX_CATEGORIES
    from musicsage.usecases.library import import_dataset

    n_lists = MAX_CATEGORIES + 1
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(
        f"t{i},Song {i}\n" for i in range(2 * n_lists)), encoding="utf-8")
    np.save(d / "features.npy", np.eye(2 * n_lists, dtype=np.float32))
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i},t{2 * i}\np{i},t{2 * i + 1}\n" for i in range(n_lists)), encoding="utf-8")
    ctx = AppContext.create(tmp_path / "lib")
    import_dataset(ctx, d)
    app, _runner = loaded(make_app, ctx)
    app.map.colour_by = "playlist"
    _codes, names, other = app.map.colouring(np.array(sorted(app.library.snapshot.by_id)))
    assert len(names) == MAX_CATEGORIES and other == "1 other playlist or none"


def test_a_track_without_an_audio_file_says_so_when_asked_to_play(make_app, recorder,
                                                                     tmp_path):
    """A track imported from a dataset dir has no file: playing it did nothing at all, and
    its details showed its synthetic key ("dataset:/…/ds#t1") as its path."""
    import numpy as np

    from musicsage.usecases.library import import_dataset

    d = tmp_path / "my dataset"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,Song 1\nt2,Song 2\n", encoding="utf-8")
    np.save(d / "features.npy", np.eye(2, dtype=np.float32))
    ctx = AppContext.create(tmp_path / "lib")
    import_dataset(ctx, d)
    app, _runner = loaded(make_app, ctx)
    info = app.library.snapshot.tracks[0]
    assert info.shown_path == f"no audio file (imported from {d})"
    play = recorder(app.selection.play)
    app.selection.play_track(info.id)
    assert play.calls == []
    level, text = app.notifications[-1]
    assert level == "info" and text == f"Cannot play 'Song 1': no audio file (imported from {d})"


def test_a_dropped_file_that_is_no_music_is_named_and_the_rest_is_added(library, make_app,
                                                                        tmp_path):
    """A stray file among the dropped ones is named in one line and left out; the music is
    scanned. The window showed the command line's refusal, '… go after --playlists'."""
    app, runner = loaded(make_app, library)
    app.library.embed_model = "spectral"
    notes = tmp_path / "notes.txt"
    notes.write_text("not music")
    assert not app.library.add_dropped([str(notes)])
    assert app.notifications[-1] == (
        "warning", f"Left out (neither music, a folder nor a playlist): {notes}")
    more, _, _ = make_music(tmp_path / "more", n_tracks=2, seed=4)
    assert app.library.add_dropped([str(notes), str(tmp_path / "gone.txt"), str(more)])
    assert app.notifications[-1][1] == (  # a path gone since the drag is not "no music"
        f"Not found (moved or deleted?): {tmp_path / 'gone.txt'}; "
        f"Left out (neither music, a folder nor a playlist): {notes}")
    runner.drain()
    assert app.library.snapshot.stats.tracks.total == 14
    assert not any("--playlists" in text for _level, text in app.notifications)


def test_retrain_without_playlists_says_so_at_once(make_app, tmp_path):
    """No playlist at all: Retrain tells what it needs instead of reading the library and
    failing seconds later."""
    from musicsage.controllers.training import NO_PLAYLISTS
    from musicsage.usecases.library import scan_library

    music, _, _ = make_music(tmp_path / "src", n_tracks=4, seconds=0.5)
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [str(music)])
    app, runner = loaded(make_app, ctx)
    assert app.training.start() is None
    runner.drain()
    assert "Training" not in runner.ran and not app.training.running
    assert app.notifications[-1] == ("warning", NO_PLAYLISTS)


def test_an_empty_map_says_the_embeddings_it_waits_for_are_coming(make_app, recorder,
                                                                  tmp_path):
    """Right after a folder is added the map has nothing to draw; it said 'Use Analyse ▸
    Compute embeddings' while they were being computed."""
    from musicsage.controllers.map import EMBEDDING, NO_EMBEDDINGS
    from musicsage.usecases.library import scan_library

    music, _, _ = make_music(tmp_path / "src", n_tracks=4, seconds=0.5)
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [str(music)])
    app, runner = loaded(make_app, ctx)
    messages = recorder(app.map.message)
    app.library.reload()
    runner.drain()
    assert messages.last == (NO_EMBEDDINGS,)
    app.library.embed("spectral")
    assert messages.last == (EMBEDDING,) and app.library.embedding
    runner.drain()
    assert not app.library.embedding and app.map.points is not None
    assert len(app.map.points.track_ids) == 4


def test_cancelling_a_recomputed_map_keeps_the_map_shown(library, make_app, recorder):
    """Recompute map, then Cancel: "Computing the map…" stayed over the map with nothing
    running, and nothing said the map was not recomputed."""
    app, runner = loaded(make_app, library)
    before = app.map.points
    messages, maps = recorder(app.map.message), recorder(app.map.loaded)
    app.map.refresh(relayout=True)
    assert messages.last == ("Computing the map…",)
    app.tasks.cancel()  # the status line's Cancel
    runner.drain()
    assert maps.calls == [] and app.map.points is before
    assert messages.last == ("",), "the overlay goes: the previous map is still drawn"
    assert app.notifications[-1] == (
        "info", "Map not recomputed (cancelled): the previous map stays")


def test_choosing_the_graph_map_without_a_model_says_why_audio_is_shown(library, make_app):
    app, runner = loaded(make_app, library)
    app.map.choose_space("graph")
    runner.drain()
    assert app.map.space == "audio"
    assert app.notifications[-1] == (
        "info", "Showing audio only: no graph model yet: press Retrain to train one on your "
        "playlists")
    # the Map chooser says what is shown (it said "Graph model"); the choice waits for a model
    assert app.map.shown_space == "audio" and app.map.preferred_space == "graph"


def test_a_playlist_imported_empty_is_a_warning_in_the_window(library, make_app, tmp_path):
    """An M3U whose every entry names a missing file was "1 playlist imported (2 entries not
    found)" at info level: an empty playlist, and nothing the user would notice."""
    app, runner = loaded(make_app, library)
    gone = tmp_path / "Gone.m3u"
    gone.write_text("/old/disk/a.mp3\n/old/disk/b.mp3\n")
    app.library.scan([], [str(gone)])
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "warning" and text.endswith(
        "playlist 'Gone': none of its 2 entries were found in the library (e.g. "
        "'/old/disk/a.mp3'); if the files moved, scan the folder they are in now"), text
