"""Ctrl-C during an ``embed`` on which a track failed: the line said "5 of 9 tracks finished
and kept" — "finished" read as counting the failed one, and no line told of its failure (a
stopped run prints no error list). It says how many were embedded and kept, and how many
failed, apart: the first failed file by name, and what to do about it."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import textwrap

from robust_support import REPO, assert_clean_success, child_env, cli, tone_file

from musicsage.commands.embed_progress import EmbedProgress
from musicsage.library.db import open_connection
from musicsage.progress import Progress

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
                    "1 failed (a1.wav: replace it, or delete it and scan); run `musicsage "
                    f"--data-dir {data} embed --model spectral` again to do the rest")


def test_several_failed_name_the_first_and_count_the_rest():
    seen = EmbedProgress(None)
    seen(Progress("embed spectral", 0, 4))
    seen(Progress("embed spectral", 1, 4, "02 Kaleidoscope.mp3", {"failed": 1, "embedded": 0}))
    seen(Progress("embed spectral", 2, 4, "03 Other.mp3", {"failed": 2, "embedded": 0}))
    seen(Progress("embed spectral", 3, 4, "04 Fine.mp3", {"failed": 2, "embedded": 1}))
    assert seen.kept("`musicsage embed`") == (
        "1 of 4 tracks embedded and kept, 2 failed (02 Kaleidoscope.mp3 and 1 more: replace "
        "them, or delete them and scan); run `musicsage embed` again to do the rest")


def test_none_embedded_while_placing_says_no_track_not_zero():
    """Every analysis failed, then the graph model was placing: not "0 tracks embedded"."""
    seen = EmbedProgress(None)
    seen(Progress("embed spectral", 1, 1, "a.wav", {"failed": 1, "embedded": 0}))
    seen(Progress("graph: new tracks", 0, 2, "loading the graph model"))
    assert seen.kept("`musicsage embed`") == (
        "no track embedded, 1 failed (a.wav: replace it, or delete it and scan), but the graph "
        "model had not placed the new tracks yet; run `musicsage embed` again to place them")


def test_a_file_gone_since_the_scan_is_told_to_scan_not_to_be_replaced(tmp_path):
    """"replace it, or delete it and scan" was said of a file already deleted."""
    music, data = tmp_path / "music", tmp_path / "data"
    for i in range(9):
        tone_file(music / f"a{i}.wav", seconds=0.3, freq=150 + 23 * i)
    assert_clean_success(cli("scan", str(music), data_dir=data))
    (music / "a1.wav").unlink()  # deleted after the scan

    rc, said = _stopped_after(tmp_path, 5, "--model", "spectral", "--threads", "1",
                              "--data-dir", str(data))

    assert rc == 130
    assert re.fullmatch(r"musicsage embed: interrupted: \d of 9 tracks embedded and kept, 1 "
                        r"failed \(a1\.wav: gone since the last scan: scan its music folder\); "
                        rf"run `musicsage --data-dir {re.escape(str(data))} embed --model spectral` "
                        r"again to do the rest", said), said


def test_failed_files_some_gone_are_told_apart():
    seen = EmbedProgress(None)
    seen(Progress("embed spectral", 0, 5))
    seen(Progress("embed spectral", 1, 5, "a.mp3", {"failed": 1, "embedded": 0, "vanished": 1}))
    seen(Progress("embed spectral", 2, 5, "b.mp3", {"failed": 2, "embedded": 0, "vanished": 1}))
    seen(Progress("embed spectral", 3, 5, "c.mp3", {"failed": 3, "embedded": 0, "vanished": 1}))
    seen(Progress("embed spectral", 4, 5, "d.mp3", {"failed": 3, "embedded": 1, "vanished": 1}))
    assert seen.kept("`musicsage embed`") == (
        "1 of 5 tracks embedded and kept, 3 failed (a.mp3, gone since the last scan, and 2 "
        "more: scan its music folder for it; replace the 2 others, or delete them and scan); "
        "run `musicsage embed` again to do the rest")


def test_a_named_damaged_file_is_not_taken_for_the_gone_one():
    """"a.mp3 and 2 more: 1 gone since the last scan: …" left the user to guess whether the
    file named was the gone one: here it is damaged, and a later one is gone."""
    seen = EmbedProgress(None)
    seen(Progress("embed spectral", 0, 4))
    seen(Progress("embed spectral", 1, 4, "a.mp3", {"failed": 1, "embedded": 0, "vanished": 0}))
    seen(Progress("embed spectral", 2, 4, "b.mp3", {"failed": 2, "embedded": 0, "vanished": 1}))
    seen(Progress("embed spectral", 3, 4, "c.mp3", {"failed": 3, "embedded": 0, "vanished": 1}))
    assert seen.kept("`musicsage embed`") == (
        "0 of 4 tracks embedded and kept, 3 failed (a.mp3 and 2 more: replace it and 1 other, "
        "or delete them and scan; for the 1 gone since the last scan, scan its music folder); "
        "run `musicsage embed` again to do the rest")
