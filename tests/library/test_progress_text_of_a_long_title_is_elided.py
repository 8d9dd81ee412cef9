"""The command line's progress text names the file or track it is at in a bar's width: a
track's whole title went into it, and ``tags --library`` wrote a line as long as the title
(up to the 1,000 characters a tag keeps) into a log, stderr not being a terminal
(commands/output.py). Only a name is elided: a sentence (a wait for another run, a stage's
last word) is shown whole — cut to 80 characters, the wait read "another embedding run of
t…y is running"."""

from __future__ import annotations

import re
import threading

from library_audio import write_audio

from musicsage.cli import main
from musicsage.commands.output import MESSAGE_WIDTH, shown_message, tqdm_progress
from musicsage.library.db import connect
from musicsage.library.lock import ACTIVITY, WAIT_WORDS, library_lock
from musicsage.progress import KEEP, Progress

TITLE = "Overture " + "la " * 320 + "Finale"  # under the 1,000 characters a tag keeps


def test_tags_library_shows_a_long_title_elided(ctx, music, tagger, capsys):
    write_audio(music / "long.flac", seconds=1.0, tags={"title": TITLE})
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(ctx.data_dir), "tags", "--library"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in re.split(r"[\r\n]", err) if line.strip()]
    assert "Overture la" in err and "la Finale" in err  # its start and its end, elided
    assert max(map(len, lines)) < MESSAGE_WIDTH + 100, max(lines, key=len)[:300]


def test_a_long_path_keeps_its_start_and_its_file_name():
    path = "/home/me/Music/" + "Very Long Folder Name/" * 20 + "07 The Song.flac"
    shown = shown_message(path)
    assert len(shown) == MESSAGE_WIDTH
    assert shown.startswith("/home/me/Music/") and shown.endswith("/07 The Song.flac")
    assert "…" in shown
    assert shown_message("/m/a.flac") == "/m/a.flac"
    assert shown_message("a\x1bb" * 40).count("\\x1b") > 10  # escaped, then elided


def test_embed_waiting_for_another_run_says_so_in_full(ctx, music, capsys):
    write_audio(music / "a.flac", seconds=1.0)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    capsys.readouterr()
    held, done = threading.Event(), threading.Event()

    def other_run() -> None:  # another `embed`, holding the library's embedding lock
        with library_lock(connect(ctx), "embed"):
            held.set()
            done.wait(1.5)

    holder = threading.Thread(target=other_run)
    holder.start()
    try:
        assert held.wait(30)
        assert main(["--data-dir", str(ctx.data_dir), "embed", "--model", "spectral"]) == 0
    finally:
        done.set()
        holder.join(30)
    err = capsys.readouterr().err
    assert "another embedding run of this library is running (process " in err, err
    assert "…" not in err, err


def test_a_stages_last_word_and_a_long_wait_are_shown_whole(capsys):
    wait = (f"another {ACTIVITY['graph-vectors']} of this library is running "
            f"(process 9968); {WAIT_WORDS}")  # 118 characters
    outcome = "stopped early at step 2500, best at 2350 " + "(validation hit rate 0.412) " * 3
    progress = tqdm_progress()
    try:
        progress(Progress("graph", 0, None, wait))
        progress(Progress("train", 2500, 2500, outcome, {KEEP: True}))
    finally:
        progress.close()
    err = capsys.readouterr().err
    assert wait in err and outcome.strip() in err, err
