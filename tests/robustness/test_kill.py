"""kill -9 during scan, embed and train (README: interrupted work resumes; a cancelled or failed
training leaves the previous model current). After the kill the database passes SQLite's
integrity check, the user's files are untouched, the next run resumes without redoing
finished work, and the previous graph model is still the one in use. What is killed runs in
a child process; what is looked at before and after runs the CLI's main in this process
(``cli_in_process``)."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from robust_support import (REPO, SLOW_SCAN, assert_clean_success, assert_one_line_failure,
                            child_env, cli_in_process, db_snapshot, start_script, tone_file,
                            trained_dataset_library, tree_snapshot)

from musicsage.library.db import open_connection

SLOW_EMBED = textwrap.dedent("""
    import sys, time
    from musicsage.context import AppContext
    from musicsage.audio.embed_job import run_embed_job
    from musicsage.audio.spectral import SpectralEmbedder

    class Slow(SpectralEmbedder):
        batch_size = 1
        def infer(self, units):
            time.sleep(0.15)
            return super().infer(units)

    run_embed_job(AppContext.create(sys.argv[1]), Slow(), workers=1, prefetch=1)
    print("finished")
""")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def integrity_ok(db) -> None:
    conn = open_connection(db)  # opens cleanly after the kill
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_kill_mid_scan_leaves_a_usable_db_and_the_next_scan_resumes(tmp_path, capfd):
    music = tmp_path / "music"
    n = 60
    for i in range(n):
        tone_file(music / f"k{i:02d}.wav", seconds=0.1, freq=200 + 10 * i)
    before = tree_snapshot(music)
    data = tmp_path / "data"
    child = start_script(SLOW_SCAN, tmp_path, str(data), str(music), stdout=subprocess.PIPE, text=True)
    probed = 0
    for line in child.stdout:
        probed += line.startswith("probed")
        if probed >= 23:
            break
    kill(child)

    db = data / "library.sqlite3"
    integrity_ok(db)
    committed = len(db_snapshot(db)["tracks"])
    assert 20 <= committed < n and committed % 5 == 0  # whole batches only
    proc = cli_in_process(capfd, "scan", str(music), "--json", data_dir=data)
    assert_clean_success(proc)
    rep = json.loads(proc.stdout)
    assert (rep["added"], rep["unchanged"]) == (n - committed, committed)  # nothing re-read
    assert len(db_snapshot(db)["tracks"]) == n and tree_snapshot(music) == before


def test_kill_mid_embed_keeps_finished_tracks_and_embed_resumes(tmp_path, capfd):
    music = tmp_path / "music"
    for i in range(30):
        tone_file(music / f"k{i:02d}.wav", seconds=1.0, freq=150 + 37 * i)
    before = tree_snapshot(music)
    data = tmp_path / "data"
    assert_clean_success(cli_in_process(capfd, "scan", str(music), data_dir=data))
    db = data / "library.sqlite3"
    child = start_script(SLOW_EMBED, tmp_path, str(data), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    conn = open_connection(db)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0] >= 3:
                break
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            time.sleep(0.05)
    finally:
        kill(child)
    done = {r[0]: r[1] for r in conn.execute("SELECT track_id, created_at FROM audio_embeddings")}
    conn.close()
    assert 3 <= len(done) < 30
    integrity_ok(db)

    proc = cli_in_process(capfd, "embed", "--model", "spectral", "--json", data_dir=data)
    assert_clean_success(proc)
    rep = json.loads(proc.stdout)
    assert rep["total"] == 30 - len(done) and rep["embedded"] == rep["total"]  # nothing redone
    conn = open_connection(db)
    after = {r[0]: r[1] for r in conn.execute("SELECT track_id, created_at FROM audio_embeddings")}
    assert len(after) == 30 and all(after[t] == c for t, c in done.items())
    assert tree_snapshot(music) == before


def files_of(model_dir) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(model_dir.iterdir()) if p.is_file()}


@pytest.fixture
def trained_library(tmp_path, capfd):
    """A library imported from a generated dataset dir, with a (short) trained model."""
    return trained_dataset_library(tmp_path, n_tracks=200, n_playlists=24, steps=15,
                                   capture=capfd)


def test_kill_mid_train_keeps_the_previous_model_current_and_intact(trained_library, capfd):
    data = trained_library

    def cli(*args: str):
        return cli_in_process(capfd, *args, data_dir=data)

    stats = json.loads(cli("stats", "--json").stdout)
    previous = stats["graph_model"]["id"]
    conn = open_connection(data / "library.sqlite3")
    model_dir = data / "graph_models" / q_model_dir(conn, previous)
    conn.close()
    model_files = files_of(model_dir)
    assert {"embeddings.npy", "model.pt"} <= set(model_files)
    before = cli("similar", "1", "--space", "graph", "--json")
    assert_clean_success(before)

    argv = [sys.executable, "-m", "musicsage", "train", "--max-steps", "100000",
            "--data-dir", str(data)]
    child = subprocess.Popen(argv, cwd=REPO, env=child_env(OMP_NUM_THREADS="1"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + 120
    # training is under way: the progress line has reported a step's loss (every 10 steps)
    while b"loss " not in seen and time.monotonic() < deadline:
        chunk = child.stderr.read1(4096)
        if not chunk:
            break
        seen += chunk
    kill(child)
    assert b"loss " in seen, seen[-2000:]

    integrity_ok(data / "library.sqlite3")
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["graph_model"]["id"] == previous
    assert files_of(model_dir) == model_files
    after = cli("similar", "1", "--space", "graph", "--json")
    assert_clean_success(after)
    assert json.loads(after.stdout)["graph"] == json.loads(before.stdout)["graph"]


def q_model_dir(conn, model_id: int) -> str:
    return conn.execute("SELECT dir FROM graph_models WHERE id = ?", (model_id,)).fetchone()[0]



KILLED_EXPORT = textwrap.dedent("""
    # python killed_export.py DATA_DIR OUT K: export, killed (os._exit, as by SIGKILL: no
    # clean-up runs) just before the K-th file of the export would have been put in place
    import os, sys
    from musicsage.context import AppContext
    from musicsage.usecases.library import export_dataset

    renames, real = [0], os.replace
    def replace(src, dst):
        renames[0] += 1
        if renames[0] == int(sys.argv[3]):
            os._exit(137)
        real(src, dst)
    os.replace = replace
    export_dataset(AppContext.create(sys.argv[1]), sys.argv[2])
    print("renames", renames[0])
""")


def test_an_export_killed_at_any_file_never_leaves_a_dir_that_imports_as_a_whole_one(tmp_path,
                                                                                      capfd):
    """A fresh export dir whose export was killed after tracks.csv but before memberships.csv
    imported 'successfully' with no playlists at all: tracks.csv, what makes a folder a
    dataset dir, was not the last file written."""
    from musicsage.context import AppContext
    from musicsage.graph.synthetic import hidden_factor_data, write_dataset_dir
    from musicsage.usecases.library import import_dataset

    source = AppContext.create(tmp_path / "data")
    import_dataset(source, write_dataset_dir(hidden_factor_data(n_tracks=40, n_playlists=5),
                                             tmp_path / "dataset"))
    whole = start_script(KILLED_EXPORT, tmp_path, str(source.data_dir), str(tmp_path / "whole"),
                         "0", stdout=subprocess.PIPE, text=True)
    renames = int(whole.communicate(timeout=120)[0].split()[-1])
    # the folder's output mark (written first), the vectors it writes recorded in it,
    # features.npy/.json and three CSV files written into the export's stage, then those
    # five swapped in (tracks.csv last), and the mark rewritten after them
    assert whole.returncode == 0 and renames == 13
    expected = import_dataset(AppContext.create(tmp_path / "expected"), tmp_path / "whole")
    assert expected.memberships > 0
    for k in range(1, renames + 1):
        out = tmp_path / f"killed{k}"
        child = start_script(KILLED_EXPORT, tmp_path, str(source.data_dir), str(out), str(k))
        assert child.wait(timeout=120) == 137
        proc = cli_in_process(capfd, "import", str(out), "--json", data_dir=tmp_path / f"lib{k}")
        if proc.returncode == 0:  # only a whole export may import
            got = json.loads(proc.stdout)
            assert (got["tracks"], got["memberships"]) == (expected.tracks, expected.memberships)
        else:
            assert_one_line_failure(proc, "import", "not a dataset dir")
