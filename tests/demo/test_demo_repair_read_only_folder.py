"""A finished demo whose music folder was made read-only, then lost a file: the repair is
refused in one line naming that folder, before the state file is touched — it reset the
demo's stages, then failed blaming the library folder."""

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


def test_a_repair_in_a_read_only_music_folder_is_refused_untouched(ctx):
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    prefix = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
              if os.geteuid() == 0 else [])
    music = build_demo(ctx, until="scan", **SMALL).music_dir
    state = read_state(ctx.data_dir)
    state.stages.update({s: {"seconds": 0} for s in STAGES})  # as if every stage had run
    write_state(ctx.data_dir, state)
    recorded = state_path(ctx.data_dir).read_bytes()
    name = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"][0]
    lost = music.joinpath(*name.split("/"))
    lost.unlink()
    music.chmod(0o555)
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "musicsage", "demo",
                               "--data-dir", str(ctx.data_dir)],
                              capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parents[2])
    finally:
        music.chmod(0o755)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stderr.strip() == (f"musicsage demo: cannot render the demo's missing music "
                                   f"again in {music}: {music} is not writable; make it "
                                   "writable, then try again (nothing was changed)")
    assert state_path(ctx.data_dir).read_bytes() == recorded, "the finished stages stay"
