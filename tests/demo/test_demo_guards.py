"""What a demo build does when something around it goes wrong: another build of the same
library, a full disk, an unreadable state file, its music deleted, a user's own ``.part``
files, Ctrl-C, a read-only folder, a stage name mistyped."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import soundfile as sf

from musicsage.cli import main
from musicsage.demo import library as demo_library
from musicsage.demo.guards import DEMO_LOCK_SUFFIX
from musicsage.demo.library import MANIFEST
from musicsage.demo.state import STAGES, read_state, state_path, write_state
from musicsage.errors import MusicsageError
from musicsage.library.lock import WAIT_WORDS
from musicsage.progress import CancelToken
from musicsage.usecases.demo import build_demo, demo_status
from musicsage.usecases.library import library_stats, list_tracks

SMALL = dict(seconds=1.0, audio_model="spectral", workers=1)


def test_a_second_build_waits_for_the_first(ctx):
    """Two builds of one library at once deleted each other's half-written files (a crash):
    the second waits, says so once, and builds after the first is done."""
    holder = os.open(f"{ctx.db_path}{DEMO_LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another build of this library runs
    said, done = [], {}
    waiting = threading.Event()

    def progress(p) -> None:
        said.append(p.message)
        if WAIT_WORDS in (p.message or ""):
            waiting.set()

    worker = threading.Thread(target=lambda: done.update(rep=build_demo(
        ctx, n_tracks=8, until="generate", progress=progress, cancel=CancelToken(), **SMALL)))
    worker.start()
    try:
        assert waiting.wait(60), f"the second build must say that it waits: {said}"
        assert not state_path(ctx.data_dir).exists(), "it must not start while the first runs"
        assert sum(WAIT_WORDS in (m or "") for m in said) == 1
    finally:
        os.close(holder)  # the first build ends
        worker.join(120)
    assert done["rep"].stages["generate"]["rendered"] == 8


@pytest.mark.parametrize("error", ["ENOSPC", "libsndfile"])
def test_a_full_disk_while_rendering_is_one_line(tmp_path, monkeypatch, error):
    music = tmp_path / "music"
    music.mkdir()
    (music / ".draft.part").write_text("mine")  # the user's own

    def full(path, samples, sample_rate, ext):
        path.write_bytes(b"half a file")
        if error == "ENOSPC":
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(os, "statvfs", lambda _p: os.statvfs_result((4096,) * 2 + (0,) * 8))
        raise sf.LibsndfileError(2, "Error writing: ")  # libsndfile's "System error": no errno

    monkeypatch.setattr(demo_library, "encode_audio", full)
    with pytest.raises(MusicsageError) as refused:
        demo_library.generate_demo(music, n_tracks=8, seconds=1.0, workers=1)
    assert str(refused.value).startswith(f"the disk holding {music} is full (")
    assert "make room on it" in str(refused.value) and "\n" not in str(refused.value)
    partials = [p for p in music.rglob("*.part")]
    assert partials == [music / ".draft.part"], "only the file it wrote goes"


def test_an_unreadable_state_file_resumes_the_same_demo(ctx):
    build_demo(ctx, n_tracks=8, seed=2, until="scan", **SMALL)
    path = state_path(ctx.data_dir)
    truncated = path.read_bytes()[:40]
    path.write_bytes(truncated)

    rep = build_demo(ctx, until="scan", **SMALL)
    assert (rep.n_tracks, rep.seed) == (8, 2), "the demo its manifest describes, not a new one"
    assert library_stats(ctx).tracks.total == 8, "no second demo beside the first"
    assert (ctx.data_dir / "demo-state.json.unreadable").read_bytes() == truncated
    assert len(rep.notes) == 1 and "could not be read" in rep.notes[0]
    assert read_state(ctx.data_dir).stages.keys() == {"generate", "scan"}


def test_an_unreadable_state_file_and_no_manifest_is_refused(ctx):
    build_demo(ctx, n_tracks=8, until="generate", **SMALL)
    path = state_path(ctx.data_dir)
    path.write_text("{", encoding="utf-8")
    (ctx.data_dir / "demo-music" / MANIFEST).unlink()
    with pytest.raises(MusicsageError, match="cannot be read.*move the file away"):
        build_demo(ctx, until="generate", **SMALL)
    assert path.read_text(encoding="utf-8") == "{", "the user's file stays as it was"


def test_a_finished_demo_whose_music_is_gone_is_built_again(ctx):
    first = build_demo(ctx, n_tracks=8, until="scan", **SMALL)
    state = read_state(ctx.data_dir)
    state.stages.update({s: {"seconds": 0} for s in STAGES})  # as if every stage had run
    write_state(ctx.data_dir, state)
    assert demo_status(ctx).state == "ready"

    shutil.rmtree(first.music_dir)
    assert demo_status(ctx).state == "partial", "the window must not open a demo with no music"
    again = build_demo(ctx, until="scan", **SMALL)
    assert again.stages["generate"]["rendered"] == 8 and "scan" in again.stages
    assert all(Path(t.path).is_file() for t in list_tracks(ctx))
    assert library_stats(ctx).tracks.missing == 0
    assert len(again.notes) == 1 and "missing" in again.notes[0]


def test_only_the_demos_own_partial_files_are_deleted(ctx):
    first = build_demo(ctx, n_tracks=8, until="generate", **SMALL)
    music = first.music_dir
    mine = music / "My Notes" / ".draft.part"
    mine.parent.mkdir()
    mine.write_text("mine", encoding="utf-8")
    listed = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"][0]
    ours = (music / listed).with_name(f".{Path(listed).name}.part")  # a killed run's
    ours.write_bytes(b"half")

    build_demo(ctx, seed=1, until="generate", **SMALL)
    assert mine.read_text(encoding="utf-8") == "mine"
    assert not ours.exists()


def test_ctrl_c_says_that_running_it_again_resumes(data_dir, monkeypatch, capsys):
    written = demo_library.write_track

    def then_ctrl_c(*args, **kwargs):
        rel = written(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C
        return rel

    monkeypatch.setattr(demo_library, "write_track", then_ctrl_c)
    code = main(["demo", "--data-dir", str(data_dir), "--tracks", "8", "--seconds", "1",
                 "--until", "generate"])
    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("musicsage demo:")]
    assert code == 130
    assert lines == ["musicsage demo: interrupted: the demo is partly built (finished stages "
                     f"and rendered tracks are kept); run `musicsage --data-dir {data_dir} demo` "
                     "again to resume"]


def test_a_read_only_music_folder_is_refused_before_anything_is_recorded(tmp_path):
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    prefix = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
              if os.geteuid() == 0 else [])
    read_only, data = tmp_path / "ro", tmp_path / "data"
    read_only.mkdir()
    read_only.chmod(0o555)
    proc = subprocess.run([*prefix, sys.executable, "-m", "musicsage", "demo",
                           str(read_only / "music"), "--data-dir", str(data), "--tracks", "8",
                           "--seconds", "1", "--until", "generate"],
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr.strip() == (f"musicsage demo: cannot write the demo music into "
                                   f"{read_only / 'music'}: {read_only} is not writable; "
                                   "choose another folder (nothing was changed)")
    assert not state_path(data).exists()


def test_an_unknown_stage_is_a_usage_error(data_dir, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["demo", "--data-dir", str(data_dir), "--until", "bogus"])
    assert usage.value.code == 2, "as any other argument argparse refuses (--tracks abc)"
    assert "invalid choice: 'bogus'" in capsys.readouterr().err
    assert list(data_dir.iterdir()) == [], "nothing made"
