"""Ctrl-C during an ``embed`` on which a track failed: the line said "5 of 9 tracks finished
and kept" — "finished" read as counting the failed one, and no line told of its failure (a
stopped run prints no error list). It says how many were embedded and kept, and how many
failed, apart."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import textwrap

from robust_support import REPO, assert_clean_success, child_env, cli, tone_file

from musicsage.library.db import open_connection

SLOW_EMBED = textwrap.dedent("""
    # python slow_embed.py ARGS…: the command line, each model pass slowed and told on
    # stdout ("inferred"), so that the test stops it mid-way
    import sys, time
    from musicsage import cli
    from musicsage.audio.spectral import SpectralEmbedder

    infer = SpectralEmbedder.infer

    def slow_infer(self, units):
        print("inferred", flush=True)
        time.sleep(0.15)
        return infer(self, units)

    SpectralEmbedder.infer = slow_infer
    SpectralEmbedder.batch_size = 1
    raise SystemExit(cli.main(sys.argv[1:]))
""")


def _stopped_after(tmp_path, passes: int, *args: str) -> tuple[int, str]:
    """Run ``embed ARGS`` slowed, send Ctrl-C after ``passes`` model passes: its exit code
    and its stderr's ``musicsage …`` line."""
    script = tmp_path / "slow_embed.py"
    script.write_text(SLOW_EMBED)
    proc = subprocess.Popen([sys.executable, str(script), "embed", *args], cwd=REPO,
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    seen = 0
    for line in proc.stdout:
        seen += line.strip() == "inferred"
        if seen >= passes:
            break
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in err, err[-3000:]
    return proc.returncode, "\n".join(ln for ln in re.split(r"[\r\n]+", err)
                                      if ln.startswith("musicsage "))


def test_a_stopped_embed_says_the_failed_tracks_apart(tmp_path):
    music, data = tmp_path / "music", tmp_path / "data"
    for i in range(9):
        tone_file(music / f"a{i}.wav", seconds=0.3, freq=150 + 23 * i)
    assert_clean_success(cli("scan", str(music), data_dir=data))
    (music / "a1.wav").write_bytes(b"not audio at all" * 100)  # damaged after the scan

    rc, said = _stopped_after(tmp_path, 5, "--model", "spectral", "--threads", "1",
                              "--data-dir", str(data))
    conn = open_connection(data / "library.sqlite3")
    try:
        kept = conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0]
    finally:
        conn.close()
    assert rc == 130 and 4 <= kept < 8
    assert said == (f"musicsage embed: interrupted: {kept} of 9 tracks embedded and kept, "
                    "1 failed; run `musicsage embed --model spectral` again to do the rest")
