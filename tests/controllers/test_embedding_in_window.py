"""What the window says while "Compute embeddings" runs, and of a library left half-embedded:
the count and time left on the status line, the library summary, the audio list's hint, the
tracks still lacking a vector when the library is opened again; and the map's first compile
on a machine (its words, and that a window closing does not wait on it)."""

from __future__ import annotations

from music_support import forget_vectors

from musicsage.controllers.library import EmbedRun, audio_summary
from musicsage.controllers.map import first_map_on_this_machine
from musicsage.controllers.summaries import lacking_note
from musicsage.controllers.tasks import LongTasks
from musicsage.controllers.wording import FIRST_MAP, counted_text, time_left_text
from musicsage.library.browse import LibraryStats, PlaylistCounts, TrackCounts
from musicsage.progress import Progress
from musicsage.usecases.snapshot import LibrarySnapshot

STAGE = "embed musicnn-msd-max_pool"


class FakeTask:
    """A task whose progress a test delivers by hand, one report at a time."""

    name, lane, state, result = "Computing embeddings", "heavy", "running", None

    def __init__(self) -> None:
        self.progress, self.finished = [], []

    @property
    def running(self) -> bool:
        return self.state == "running"

    def on_progress(self, fn):
        self.progress.append(fn)
        return self

    def on_finished(self, fn):
        self.finished.append(fn)
        return self

    def report(self, *args, **extra) -> None:
        for fn in self.progress:
            fn([Progress(*args, extra=extra)])


def test_the_status_line_counts_the_tracks_and_says_the_time_left_once_a_few_are_done():
    """It said "Listening to the tracks: <file>" and a percentage; the command line said
    "47/91" and the time left."""
    now = [100.0]
    tasks, lines = LongTasks(clock=lambda: now[0]), []
    tasks.progressed.connect(lambda text, *_n: lines.append(text))
    task = FakeTask()
    tasks.track(task, "Computing embeddings")
    task.report(STAGE, 0, 91, "musicnn-msd-max_pool (port1;…)")  # the model loads: 10 s
    now[0] += 10
    task.report(STAGE, 1, 91, "a.flac")  # the pace is measured from here
    now[0] += 3
    task.report(STAGE, 4, 91, "b.flac")  # three tracks in 3 s: too soon to tell
    now[0] += 6
    task.report(STAGE, 7, 91, "c.flac")  # six tracks in 9 s: 1.5 s a track, 84 left
    assert lines == ["Listening to the tracks (0 of 91)…",
                     "Listening to the tracks (1 of 91): a.flac",
                     "Listening to the tracks (4 of 91): b.flac",
                     "Listening to the tracks (7 of 91, about 2 min left): c.flac"]
    now[0] += 120
    task.report(STAGE, 90, 91, "d.flac")
    assert lines[-1] == "Listening to the tracks (90 of 91, less than a minute left): d.flac"


def test_after_cancel_the_line_keeps_saying_cancelling_not_the_time_left():
    """The batches an embedding still commits after Cancel report progress: they put back
    "Listening to the tracks (28 of 200, about 3 min left)" until the task ended (review of
    session 50)."""
    now = [100.0]
    tasks, lines = LongTasks(clock=lambda: now[0]), []
    tasks.progressed.connect(lambda text, *_n: lines.append(text))
    tasks.relabelled.connect(lines.append)
    task = FakeTask()
    task.cancel = lambda: None
    tasks.track(task, "Computing embeddings")
    for done in (1, 10, 20):
        task.report(STAGE, done, 200, f"{done}.ogg")
        now[0] += 10
    assert "left" in lines[-1]
    tasks.cancel()
    task.report(STAGE, 28, 200, "28.ogg")
    assert lines[-2:] == ["Cancelling…", "Cancelling…"]


def test_time_left_is_said_in_whole_minutes():
    assert [time_left_text(s) for s in (5, 59, 61, 150, 3000, 3599, 4800)] == [
        "less than a minute left", "less than a minute left", "about 1 min left",
        "about 2 min left", "about 50 min left", "about 1 h left", "about 1 h 20 min left"]
    # other stages keep their words: a layout's epochs are no tracks
    assert counted_text(Progress("map: layout", 3, 500), 12.0) == "Laying out the map…"


def _snapshot(*, present=91, lacking=42, embedded=49, model="musicnn-msd-max_pool",
              unreadable=0) -> LibrarySnapshot:
    errors = {f"embed:{model}": unreadable} if unreadable else {}
    stats = LibraryStats(tracks=TrackCounts(present, present, 0, lacking),
                         playlists=PlaylistCounts(0, 0, 0, 0), errors=unreadable,
                         errors_by_stage=errors, embeddings={model: embedded} if model else {},
                         graph_model=None, roots=[])
    return LibrarySnapshot(stats=stats, tracks=[], playlists=[], memberships=[],
                           audio_model=model, graph_model=None)


def test_the_summary_says_how_many_are_embedded_and_that_more_are_being_computed():
    """At 50 % of the first run it said "Audio model: none yet"; of a run closed half-way,
    "(49 embedded)" and nothing of the other 42."""
    first = _snapshot(lacking=91, embedded=0, model=None)
    assert audio_summary(first) == (None, "")
    assert audio_summary(first, EmbedRun()) == (None, "computing…")
    running = EmbedRun("musicnn-msd-max_pool", total=91, embedded=45)
    assert audio_summary(first, running) == ("musicnn-msd-max_pool",
                                             "45 of 91 embedded, computing…")
    half = _snapshot()
    assert audio_summary(half) == ("musicnn-msd-max_pool", "49 of 91 embedded")
    resumed = EmbedRun("musicnn-msd-max_pool", total=42, embedded=2)
    assert audio_summary(half, resumed)[1] == "51 of 91 embedded, computing…"
    ended = EmbedRun("musicnn-msd-max_pool", total=42, embedded=42, going=False)
    assert audio_summary(half, ended)[1] == "91 of 91 embedded", "not the snapshot read before"
    assert audio_summary(half, EmbedRun(going=False))[1] == "49 of 91 embedded"
    assert audio_summary(_snapshot(lacking=0, embedded=91))[1] == "91 embedded"


def test_a_half_embedded_library_names_what_lacks_a_vector_and_the_way_on():
    assert lacking_note(_snapshot()) == (
        "42 tracks still lack an audio embedding, so the map leaves them out: Analyse ▸ "
        "Compute embeddings")
    assert "(2 could not be read)" in lacking_note(_snapshot(unreadable=2))
    assert lacking_note(_snapshot(lacking=2, unreadable=2)) == "", "told when they failed"
    assert lacking_note(_snapshot(lacking=0, embedded=91)) == ""
    assert lacking_note(_snapshot(lacking=91, embedded=0, model=None)) == "", \
        "an empty map says what to do already"


def test_reopening_a_half_embedded_library_says_so_once_and_starts_nothing(library, make_app):
    forget_vectors(library, 5)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    assert "Computing embeddings" not in runner.ran, "no heavy work unasked"
    assert app.notifications[-1] == ("info", lacking_note(app.library.snapshot))
    assert app.notifications[-1][1].startswith("5 tracks still lack an audio embedding")
    told = len(app.notifications)
    app.library.reload()
    runner.drain()
    assert len(app.notifications) == told, "once a session, not at every reload"


def test_while_embedding_the_summary_and_the_audio_lists_hint_say_so(library, make_app,
                                                                     recorder):
    """At 50 % the audio list said "use Analyse ▸ Compute embeddings" of the run going."""
    lacking = forget_vectors(library, 5)[0]
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.selection.select(lacking, play=False)
    runner.drain()
    notes = recorder(app.selection.notes_changed)
    assert "use Analyse ▸ Compute embeddings" in app.selection.empty_notes(
        app.selection.result)["audio"]
    summaries = []
    app.library.audio_changed.connect(lambda: summaries.append(
        audio_summary(app.library.snapshot, app.library.embed_run)[1]))
    app.library.embed("spectral")
    assert summaries == ["computing…"]
    assert "being computed now" in notes.last[0]["audio"]
    runner.drain()
    assert summaries[1:] == ["12 of 12 embedded, computing…", "12 of 12 embedded"]
    assert app.library.embed_run is None, "the library read again says the rest"
    assert audio_summary(app.library.snapshot) == ("spectral", "12 embedded")
    assert "use Analyse ▸ Compute embeddings" in notes.last[0]["audio"], "and back at the end"


def test_the_maps_first_compile_is_said_and_its_process_may_be_killed(library, make_app,
                                                                      tmp_path, monkeypatch):
    """With an empty numba cache the line sat at "Finding each track's neighbours for the
    map… 100%" for 40 s, and closing the window waited 30 s on the map's process."""
    cache = tmp_path / "numba"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(cache))
    assert first_map_on_this_machine(cache)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    lines, bars = [], []
    app.tasks.progressed.connect(lambda text, *_n: lines.append(text))
    app.tasks.progressed.connect(lambda _text, _done, total: bars.append(total))
    app.map.refresh(relayout=True)
    task = runner.queue[-1]
    assert task.name == "map" and task.disposable
    for p in (Progress("map: neighbours", 50, 91), Progress("map: neighbours", 91, 91),
              Progress("map: fuzzy graph"), Progress("map: layout", 5, 500)):
        task._emit("progress", [p])
    assert lines == ["Finding each track's neighbours for the map…", FIRST_MAP + "…",
                     FIRST_MAP + "…", "Laying out the map…"]
    assert bars == [91, None, None, 500], "a busy bar while compiling, not one at 100 %"
    runner.drain()
    for code in ("umap_1f", "pynndescent_2e"):  # what a first layout leaves in the cache
        (cache / code).mkdir(parents=True)
        (cache / code / "layouts.clip-9.py311.nbi").write_bytes(b"")
    assert not first_map_on_this_machine(cache)
    lines.clear()
    app.map.refresh(relayout=True)
    runner.queue[-1]._emit("progress", [Progress("map: neighbours", 91, 91)])
    assert lines == ["Preparing the map…"], "loading umap: seconds on a busy machine"


def test_a_graph_model_switch_counts_only_the_tracks_it_placed_anew():
    from musicsage.controllers.models import describe_switch
    from musicsage.usecases.inductive import InductiveReport
    from musicsage.usecases.models import GraphModelRow, ModelSwitch

    row = GraphModelRow(id=2, created_at="2024-01-01", audio_model="spectral",
                        contexts=("playlist",), hr10=None, mrr=None, tracks=None,
                        is_current=True, problem=None, dir="")
    again = ModelSwitch(row, 3, InductiveReport(2, unseen=6, embedded=6, new_vectors=1))
    assert describe_switch(again).endswith(" is now in use; it placed 1 track it had never seen")
    same = ModelSwitch(row, 3, InductiveReport(2, unseen=6, embedded=6, new_vectors=0))
    assert describe_switch(same).endswith(" is now in use"), "six placed again: none anew"
