"""Ctrl-C and SIGTERM during ``scan`` and ``embed``: one line that says what was kept and the
command that finishes the work. Ctrl-C said only "musicsage scan: interrupted" (a partial
scan) or "interrupted" (some tracks embedded, how many?); SIGTERM ended either with no word
(exit 143). Both now stop where the window's Cancel stops — a scan keeps its batch, an
embedding run the tracks it finished — and a second signal stops at once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from robust_support import REPO, assert_clean_success, child_env, cli, tone_file

from musicsage.library.db import open_connection

SLOW_CLI = textwrap.dedent("""
    # python slow_cli.py ARGS…: the command line, each probe and each model pass slowed and
    # told on stdout ("probed", "inferred"), so that a test signals it mid-way
    import sys, time
    from musicsage import cli
    from musicsage.audio.spectral import SpectralEmbedder
    from musicsage.library import tags

    probe, infer = tags.probe, SpectralEmbedder.infer

    def slow_probe(*args, **kwargs):
        print("probed", flush=True)
        time.sleep(0.03)
        return probe(*args, **kwargs)

    def slow_infer(self, units):
        print("inferred", flush=True)
        time.sleep(0.15)
        return infer(self, units)

    tags.probe, SpectralEmbedder.infer = slow_probe, slow_infer
    SpectralEmbedder.batch_size = 1
    raise SystemExit(cli.main(sys.argv[1:]))
""")


def start(tmp_path, *args: str) -> subprocess.Popen:
    script = tmp_path / "slow_cli.py"
    script.write_text(SLOW_CLI)
    return subprocess.Popen([sys.executable, str(script), *args], cwd=REPO, env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_after(proc: subprocess.Popen, word: str, count: int, sig: int) -> tuple[int, str]:
    """Send ``sig`` once the child printed ``word`` ``count`` times; its exit code and its
    stderr's lines that are not progress bars."""
    seen = 0
    for line in proc.stdout:
        seen += line.strip() == word
        if seen >= count:
            break
    assert seen >= count, proc.stderr.read()[-2000:]
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = [ln for ln in re.split(r"[\r\n]+", err) if ln.startswith("musicsage ")]
    assert "Traceback" not in err, err[-3000:]
    return proc.returncode, "\n".join(said)


def count(db, sql: str) -> int:
    conn = open_connection(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def music(tmp_path):
    folder = tmp_path / "my music"  # a space: the command told is quoted for a shell
    for i in range(40):
        tone_file(folder / f"k{i:02d}.wav", seconds=0.3, freq=150 + 23 * i)
    return folder


@pytest.mark.parametrize("sig, word, code", [(signal.SIGINT, "interrupted", 130),
                                             (signal.SIGTERM, "terminated", 143)])
def test_a_stopped_scan_says_it_is_incomplete_and_how_to_finish(tmp_path, music, sig, word,
                                                                  code):
    data = tmp_path / "data"
    rc, said = stop_after(start(tmp_path, "scan", str(music), "--data-dir", str(data)),
                          "probed", 8, sig)
    assert rc == code
    assert said == (f"musicsage scan: {word}: the scan is incomplete (what it stored so far is "
                    f"kept); run `musicsage --data-dir {data} scan '{music}'` again to finish it")
    stored = count(data / "library.sqlite3", "SELECT COUNT(*) FROM tracks")
    assert 8 <= stored < 40  # the batch read when it stopped was kept
    proc = cli("scan", str(music), "--json", data_dir=data)  # the command it told
    assert_clean_success(proc)
    assert count(data / "library.sqlite3", "SELECT COUNT(*) FROM tracks") == 40


@pytest.mark.parametrize("sig, word, code", [(signal.SIGINT, "interrupted", 130),
                                             (signal.SIGTERM, "terminated", 143)])
def test_a_stopped_embed_says_how_many_tracks_it_kept(tmp_path, music, sig, word, code):
    data = tmp_path / "data"
    assert_clean_success(cli("scan", str(music), data_dir=data))
    rc, said = stop_after(start(tmp_path, "embed", "--model", "spectral", "--threads", "1",
                                "--data-dir", str(data)), "inferred", 5, sig)
    kept = count(data / "library.sqlite3", "SELECT COUNT(*) FROM audio_embeddings")
    assert rc == code and 4 <= kept < 40
    assert said == (f"musicsage embed: {word}: {kept} of 40 tracks finished and kept; run "
                    f"`musicsage --data-dir {data} embed --model spectral` again to do the rest")
    assert_clean_success(cli("embed", "--model", "spectral", data_dir=data))
    assert count(data / "library.sqlite3", "SELECT COUNT(*) FROM audio_embeddings") == 40


def test_a_second_ctrl_c_stops_at_once_and_still_says_what_was_kept(tmp_path, music):
    data = tmp_path / "data"
    assert_clean_success(cli("scan", str(music), data_dir=data))
    proc = start(tmp_path, "embed", "--model", "spectral", "--threads", "1",
                 "--data-dir", str(data))
    for line in proc.stdout:
        if line.strip() == "inferred":
            break
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)  # while it finishes the batch in flight (0.15 s)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    rc, said = proc.returncode, [ln for ln in re.split(r"[\r\n]+", err)
                                 if ln.startswith("musicsage ")]
    kept = count(data / "library.sqlite3", "SELECT COUNT(*) FROM audio_embeddings")
    assert rc == 130 and kept < 40
    assert said == [f"musicsage embed: interrupted: {kept} of 40 tracks finished and kept; "
                    f"run `musicsage --data-dir {data} embed --model spectral` again to do the "
                    "rest"], err[-2000:]


def test_sigterm_while_waiting_for_a_lock_ends_in_one_line(tmp_path, music):
    """An embedding run waiting for another one (its lock) has kept nothing; a training
    waiting likewise stops as Ctrl-C stops it, in one line, where SIGTERM gave no word."""
    from musicsage.library.lock import library_lock

    data = tmp_path / "data"
    assert_clean_success(cli("scan", str(music), data_dir=data))
    assert_clean_success(cli("embed", "--model", "spectral", "--limit", "3", data_dir=data))
    conn = open_connection(data / "library.sqlite3")
    for kind, argv, line in (
            ("embed", ["embed", "--model", "spectral"],
             "musicsage embed: terminated: no track was embedded; run `musicsage --data-dir "
             f"{data} embed --model spectral` again to embed them"),
            ("training", ["train", "--max-steps", "5"],
             "musicsage train: terminated: no graph model was saved (the library has none "
             "yet)")):
        with library_lock(conn, kind):
            proc, err = cli_child(*argv, "--data-dir", str(data))
            err.wait_for("waiting for it to finish")
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
        said = [ln for ln in re.split(r"[\r\n]+", err.text()) if ln.startswith("musicsage ")]
        assert (proc.returncode, said) == (143, [line]), err.text()[-2000:]
    conn.close()


def test_the_watch_stops_on_sigterm_as_on_ctrl_c(tmp_path, music):
    """A service manager stops ``scan --watch`` with SIGTERM: a clean stop, as Ctrl-C's."""
    proc, err = cli_child("scan", str(music), "--watch", "--data-dir", str(tmp_path / "data"))
    err.wait_for("Ctrl-C stops")
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    assert proc.returncode == 0, err.text()[-2000:]
    assert err.text().rstrip().endswith("stopped watching after 0 updates")


def cli_child(*args: str) -> tuple[subprocess.Popen, "Collected"]:
    """``python -m musicsage ARGS`` running, and its stderr as it comes."""
    proc = subprocess.Popen([sys.executable, "-m", "musicsage", *args], cwd=REPO,
                            env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc, Collected(proc)


class Collected:
    """A pipe's bytes, read in a thread (progress bars end no line: never readline)."""

    def __init__(self, proc: subprocess.Popen) -> None:
        import threading

        self.proc, self.chunks = proc, []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while chunk := os.read(self.proc.stderr.fileno(), 65536):
            self.chunks.append(chunk)

    def text(self) -> str:
        if self.proc.poll() is not None:
            self.reader.join(10)  # all it wrote before it ended
        return b"".join(self.chunks).decode("utf-8", "replace")

    def wait_for(self, words: str) -> None:
        deadline = time.monotonic() + 60
        while words not in self.text():
            assert time.monotonic() < deadline and self.proc.poll() is None, self.text()[-2000:]
            time.sleep(0.05)


def test_the_first_signal_cancels_the_second_interrupts():
    from musicsage.commands.stopping import stop_requests

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with stop_requests() as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.01)  # the handler runs between two bytecodes of this thread
        assert stop.cancel.cancelled and stop.word == "terminated"
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        assert str(stop.stopped("x")) == "interrupted: x" and stop.stopped("x").code == 130
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_stopped_while_the_graph_model_places_new_tracks():
    """The audio part was over: every track it embedded is kept, the graph's part is left."""
    from musicsage.commands.embed_progress import EmbedProgress
    from musicsage.progress import Progress

    seen = EmbedProgress(None)
    seen(Progress("embed spectral", 0, 2))
    seen(Progress("embed spectral", 2, 2, extra={"embedded": 2}))
    seen(Progress("graph: new tracks", 0, 2, "loading the graph model"))
    assert seen.kept("`musicsage embed`") == (
        "2 tracks embedded and kept, but the graph model had not placed the new tracks yet; "
        "run `musicsage embed` again to place them")
