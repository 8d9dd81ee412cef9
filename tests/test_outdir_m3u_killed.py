"""``--m3u FILE`` killed (SIGKILL) before its rename leaves a hidden temporary beside FILE:
the next write of FILE removes it, and nothing that is not a dead writer's of FILE."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from musicsage.usecases.search import write_m3u

TRACK = dict(path="/music/b.flac", title="B", artist="Y", duration=3)


def test_the_next_write_removes_what_a_killed_one_left(tmp_path):
    dest = tmp_path / "near.m3u8"
    kept = [".near.m3u8.musicsage-1-abcd1234.tmp",  # a running process's (pid 1)
            ".near.m3u8.musicsage-x.tmp", ".other.m3u8.musicsage-999999999-ab.tmp",
            "notes.txt"]
    for name in kept:
        (tmp_path / name).write_text("not a dead writer's of near.m3u8")
    child = textwrap.dedent(f"""
        import os, signal
        from musicsage.search import m3u
        m3u.os.replace = lambda *_a: os.kill(os.getpid(), signal.SIGKILL)
        m3u.write_m3u({str(dest)!r}, [dict(path="/music/a.flac", title="A", artist="X",
                                         duration=3)], name="Near")""")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == -9, done.stderr
    [left] = set(p.name for p in tmp_path.iterdir()) - set(kept)
    assert left.startswith(".near.m3u8.musicsage-") and not dest.exists()

    write_m3u(dest, [TRACK], name="Near")

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept + ["near.m3u8"])
    assert dest.read_text(encoding="utf-8").splitlines()[-1] == "/music/b.flac"
