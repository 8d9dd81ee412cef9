"""The folder watch and the tracks left without a vector: a batch whose embedding Ctrl-C
stopped is said and counted (its tracks were stored), and a watch that starts embeds what the
library lacks — tracks such a stop left, or files added while no watch ran — as it embeds a
batch's new tracks (README, "Keeping the library current")."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

from library_audio import write_audio
from test_watch_folder import REPO, TIMEOUT, HeldUntil, Output, Watching, wait_until

from musicsage.library.db import connect
from musicsage.library.lock import library_lock
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library
from hints_told_support import as_default

LACKING = ("SELECT COUNT(*) FROM tracks t WHERE t.status = 'present' AND NOT EXISTS"
           " (SELECT 1 FROM audio_embeddings e WHERE e.track_id = t.id)")


def lacking(ctx) -> int:
    return connect(ctx).execute(LACKING).fetchone()[0]


def embedded_library(ctx, music, n: int = 2) -> None:
    for i in range(n):
        write_audio(music / f"old{i}.wav", seconds=0.3, freq=220.0 + 50 * i)
    scan_library(ctx, [str(music)])
    embed_library(ctx, "spectral")


def test_a_watch_embeds_what_was_added_while_no_watch_ran(ctx, tmp_path):
    music = tmp_path / "music"
    embedded_library(ctx, music)
    for i in range(3):  # added, and scanned, while no watch ran: stored without a vector
        write_audio(music / f"new{i}.wav", seconds=0.3, freq=500.0 + 40 * i)
    scan_library(ctx, [str(music)])
    assert lacking(ctx) == 3
    watch = Watching(ctx)
    try:
        wait_until(lambda: watch.reports, "the watch's word on the tracks it embedded")
    finally:
        watch.stop()
    assert lacking(ctx) == 0
    [rep] = watch.reports
    assert rep.catch_up and rep.embed.embedded == 3 and not rep.interrupted
    assert rep.summary() == "3 tracks that lacked a vector embedded"


def test_a_watch_of_a_library_lacking_nothing_says_nothing(ctx, tmp_path):
    embedded_library(ctx, tmp_path / "music")
    watch = Watching(ctx)
    watch.stop()
    assert watch.reports == [] and lacking(ctx) == 0


def test_a_batch_stopped_while_embedding_is_said_and_counted(ctx, tmp_path):
    """Ctrl-C while a batch's new tracks are embedded: the batch was stored; its report says
    so (and how far embedding got) before the watch ends, and the next watch embeds the rest."""
    music = tmp_path / "music"
    embedded_library(ctx, music)
    watching: list[Watching] = []

    def stop_in_embedding(p) -> None:  # the user's Ctrl-C, once the embedding is under way
        if p.stage.startswith("embed ") and p.done >= 1:
            watching[0].cancel.cancel()

    marker = music / "all written"
    watch = Watching(ctx, progress=stop_in_embedding, pending=HeldUntil(marker))
    watching.append(watch)
    for i in range(6):
        write_audio(music / f"new{i}.wav", seconds=0.3, freq=500.0 + 40 * i)
    marker.mkdir()  # an empty folder: nothing to add
    wait_until(lambda: watch.cancel.cancelled, "the batch's embedding")
    watch.stop()
    [rep] = watch.reports
    assert rep.interrupted and rep.scan.added == 6
    done = rep.embed.embedded
    assert lacking(ctx) == 6 - done and done < 6
    assert rep.summary().endswith(f"embedding interrupted: {done} of 6 tracks embedded and kept")
    again = Watching(ctx)  # the next watch: the rest, with no file touched
    try:
        wait_until(lambda: again.reports, "the next watch's catch-up")
    finally:
        again.stop()
    assert lacking(ctx) == 0 and again.reports[0].embed.embedded == 6 - done


def test_scan_watch_ctrl_c_during_the_embedding_says_what_to_run(ctx, tmp_path, data_dir):
    """The command line: Ctrl-C while the watch embeds (here: waiting for another embedding
    run of the library) says, on the update's line, what to run for the rest; exit 0 and the
    update counted, as a watch stopped between updates."""
    music = tmp_path / "music"
    embedded_library(ctx, music)
    write_audio(music / "new.wav", seconds=0.3, freq=700.0)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    conn = connect(ctx)
    with library_lock(conn, "embed"):  # another embedding run: the watch's waits for it
        proc = subprocess.Popen(
            [sys.executable, "-m", "musicsage", "scan", str(music), "--watch", "--data-dir",
             str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
        out, err = Output(proc.stdout), Output(proc.stderr)
        try:
            wait_until(lambda: "Ctrl-C stops" in err.text, "the watch to start", timeout=60)
            proc.send_signal(signal.SIGINT)
            proc.wait(TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
    wait_until(lambda: "stopped watching" in err.text, "the goodbye line")
    assert proc.returncode == 0, err.text
    assert re.search(r"^\d\d:\d\d:\d\d embedding interrupted: 0 of 1 track embedded and kept; "
                     r"run `musicsage embed` to do the rest$", as_default(out.text, data_dir),
                     re.M), out.text
    assert err.text.rstrip().endswith("stopped watching after 1 update"), err.text
    assert "Traceback" not in err.text
