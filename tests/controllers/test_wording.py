"""The status line speaks a user's words: every progress stage the program reports has them."""

from __future__ import annotations

import re
from pathlib import Path

import musicsage
from musicsage.controllers.tasks import InlineRunner, LongTasks
from musicsage.controllers.wording import progress_text, stage_words
from musicsage.progress import Progress, report
from musicsage.usecases.execution import Mode, runs

ROOT = Path(musicsage.__file__).parent
STAGE_LITERAL = re.compile(r"""report\(\s*(?:self\.)?progress,\s*f?["']([^"'{]+)""")


def test_every_reported_stage_has_words():
    """A stage added with ``report(progress, "…")`` without words here fails this test (the
    status line showed "map: layout" as it came)."""
    stages = {m.group(1).strip() for path in ROOT.rglob("*.py")
              for m in STAGE_LITERAL.finditer(path.read_text(encoding="utf-8"))}
    assert {"map: layout", "scan: listing", "graph: new tracks"} <= stages
    assert [s for s in sorted(stages) if stage_words(s) is None] == []


def test_progress_reads_as_words():
    assert progress_text(Progress("map: layout", 3, 10)) == "Laying out the map…"
    assert progress_text(Progress("map: fuzzy graph")) == "Preparing the map…"
    # a stage's setup message (the model's full id) is for the command line …
    assert progress_text(Progress("embed musicnn-msd", 0, 240, "musicnn-msd (port1;x)")) \
        == "Listening to the tracks…"
    # … a file's name or a step's loss is for the user too
    assert progress_text(Progress("embed musicnn-msd", 3, 240, "01 Song.flac")) \
        == "Listening to the tracks: 01 Song.flac"
    assert progress_text(Progress("train", 10, 200, "loss 0.312")) \
        == "Training the graph model: loss 0.312"
    demo = Progress("audio_map", 0, 240, "Drawing the map (4/6)", {"demo_label": "Drawing"})
    assert progress_text(demo) == "Drawing the map (4/6)"
    assert progress_text(Progress("something new")) == "Something new"


def test_a_file_name_with_a_line_break_stays_on_one_line():
    """A music file named with a line break (or U+2028) made the status line two lines."""
    for name in ("01 Song\n(live).flac", "01 Song\u2028(live).flac", "01 Song\r\n(live).flac"):
        text = progress_text(Progress("scan", 3, 10, name))
        assert text == "Reading your music files: 01 Song (live).flac", text
    assert progress_text(Progress("odd stage", 1, 2, "a\nb")) == "a b"


def _reporting(stage):
    @runs(Mode.THREAD)
    def fn(*, progress=None, cancel=None):
        report(progress, stage, 1, 2)
        return 1
    return fn


def test_the_status_line_uses_the_words_and_the_labels():
    """Progress in words; a task taking the line over says its label, not its name ("map…")."""
    runner, tasks, lines = InlineRunner(), LongTasks(), []
    tasks.progressed.connect(lambda text, *_n: lines.append(text))
    tasks.relabelled.connect(lines.append)
    older = tasks.track(runner.run("map", _reporting("map: layout")), "Drawing the map")
    newer = tasks.track(runner.run("scan", _reporting("scan")), "Scanning")
    runner.queue.reverse()  # the newer task ends first: the older one takes the line over
    newer_task = runner.queue.pop(0)
    newer_task.execute()
    assert lines == ["Reading your music files…", "Drawing the map…"]
    runner.drain()
    assert lines[-1] == "Laying out the map…" and older.state == newer.state == "succeeded"


def test_a_training_run_that_may_stop_early_is_not_counted_to_its_step_limit():
    """Early stopping ends most runs long before their step limit: "step 10 of 3000" and a bar
    over the limit jumped from 17 % to done. The words say "at most", the bar is busy."""
    from musicsage.controllers.wording import step_text

    step = Progress("train", 500, 3000, "loss 0.5", {"step": 500, "loss": 0.5})
    assert step_text(step) == ("step 500 (at most 3,000; stops sooner once it stops "
                               "improving)")
    assert step_text(Progress("pretrain", 50, 200, "", {"step": 50})) == "step 50 of 200"

    def reporting(*args, **extra):
        @runs(Mode.THREAD)
        def fn(*, progress=None, cancel=None):
            report(progress, *args, **extra)
        return fn

    runner, tasks, bars = InlineRunner(), LongTasks(), []
    tasks.progressed.connect(lambda _text, done, total: bars.append((done, total)))
    for name, fn in (("Training", reporting("train", 500, 3000, step=500, loss=0.5)),
                     ("Scanning", reporting("scan", 3, 12, "a.flac"))):
        tasks.track(runner.run(name, fn), name)
        runner.drain()
    assert bars == [(500, None), (3, 12)], "a busy bar for the step limit; others count"


def test_no_sound_is_said_plainly_with_the_sound_systems_words_as_detail():
    """The window's first status line ended in "(Error querying device -1)": PortAudio's
    words, which tell a user nothing. They go to the line's tooltip."""
    from musicsage.controllers.wording import no_sound_notice

    line, detail = no_sound_notice(
        "playback disabled: no audio output device found (Error querying device -1)")
    assert line == ("Playback disabled: no audio output device found (connect one, then "
                    "restart musicsage)")
    assert "Error querying" not in line and detail.endswith("Error querying device -1")
    missing = ("playback disabled: the PortAudio library is missing (libportaudio.so); "
               "install it (Debian/Ubuntu: apt install libportaudio2)")
    assert no_sound_notice(missing) == (missing, ""), "what to install stays on the line"


def test_notes_shown_in_the_window_name_the_windows_control():
    """The Suggestions tab said "Retrain in the window, or musicsage train" inside the
    window."""
    from musicsage.controllers.wording import window_note
    from musicsage.errors import EMBED_HINT, TRAIN_HINT

    assert window_note(f"no trained graph model yet ({TRAIN_HINT})") == (
        "no trained graph model yet (press Retrain)")
    assert window_note(f"track 3 has no audio embedding ({EMBED_HINT})") == (
        "track 3 has no audio embedding (use Analyse ▸ Compute embeddings)")
    assert window_note("no match") == "no match"
