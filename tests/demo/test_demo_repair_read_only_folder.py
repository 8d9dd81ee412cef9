"""A finished demo whose music folder (or an album folder in it) was made read-only, then
lost a file: the repair is refused in one line naming that folder, before the state file is
touched — it reset the demo's stages, then failed blaming the library folder, or a full disk
or quota. Tests run as root here, which every permission lets through: the runs go through
``setpriv`` without the capabilities that override file permissions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.demo.library import MANIFEST
from musicsage.demo.state import STAGES, read_state, state_path, write_state
from musicsage.usecases.demo import build_demo

SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", workers=1)
REPO = Path(__file__).resolve().parents[2]


def unprivileged() -> list[str]:
    """The command prefix that makes file permissions apply to this test's runs."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    return (["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
            if os.geteuid() == 0 else [])


def finished_demo(ctx) -> tuple[Path, Path, bytes]:
    """A demo recorded as finished, its music folder, the file to lose, the state's bytes."""
    music = build_demo(ctx, until="scan", **SMALL).music_dir
    state = read_state(ctx.data_dir)
    state.stages.update({s: {"seconds": 0} for s in STAGES})  # as if every stage had run
    write_state(ctx.data_dir, state)
    name = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"][0]
    return music, music.joinpath(*name.split("/")), state_path(ctx.data_dir).read_bytes()


def run_unprivileged(args: list[str], read_only: Path) -> subprocess.CompletedProcess:
    """Run ``python args`` with ``read_only`` made read-only meanwhile."""
    prefix = unprivileged()
    read_only.chmod(0o555)
    try:
        return subprocess.run([*prefix, sys.executable, *args], capture_output=True,
                              text=True, timeout=120, cwd=REPO)
    finally:
        read_only.chmod(0o755)


@pytest.mark.parametrize("where", ["music folder", "album folder"])
def test_a_repair_in_a_read_only_folder_is_refused_untouched(ctx, where):
    music, lost, recorded = finished_demo(ctx)
    lost.unlink()
    read_only = music if where == "music folder" else lost.parent
    assert lost.parent != music, "the file lies in an album folder"
    proc = run_unprivileged(["-m", "musicsage", "demo", "--data-dir", str(ctx.data_dir)],
                            read_only)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr.strip() == (f"musicsage demo: 1 file of the demo's music in {music} "
                                   f"is missing: cannot render it again, {read_only} is not "
                                   "writable; make it writable, then try again (nothing was "
                                   "changed)")
    assert state_path(ctx.data_dir).read_bytes() == recorded, "the finished stages stay"


def test_a_file_not_written_into_a_read_only_album_folder_blames_the_folder(ctx):
    music, lost, _recorded = finished_demo(ctx)
    lost.unlink()
    script = ("import sys; from musicsage.demo.library import generate_demo; "
              "from musicsage.errors import MusicsageError\n"
              "try: generate_demo(sys.argv[1], n_tracks=8, seconds=1.0, workers=1, "
              "library=sys.argv[2])\n"
              "except MusicsageError as exc: print(exc)")
    proc = run_unprivileged(["-c", script, str(music), str(ctx.data_dir)], lost.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    said = proc.stdout.strip()
    assert said.startswith(f"cannot write the demo music into {music} (")
    assert said.endswith(f"): {lost.parent} is not writable; make it writable, then try "
                         "again"), said
    assert "quota" not in said and not lost.exists()
