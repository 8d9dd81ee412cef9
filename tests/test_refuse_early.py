"""Bad input is refused in one line before any slow work: a read-only library's ``train``
before torch and DGL load (seconds), ``--size foo`` before the display is looked at, and an
OpenL3 ``--hop`` it cannot run before its weights are looked for, downloaded or loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.cli import main
from musicsage.errors import MusicsageError

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "dgl")

CHILD = """
import json, sys
from musicsage.context import AppContext
if sys.argv[1] == "read-only":  # as a read-only folder answers (root ignores chmod)
    AppContext.writable_problem = lambda self: (
        f"the library folder {self.data_dir} is not writable (Permission denied)")
from musicsage.cli import main
rc = main(sys.argv[2:])
print(json.dumps({"rc": rc, "heavy": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def run_cli(*argv: str, read_only: bool = False) -> tuple[dict, str]:
    """``musicsage ARGV`` in a fresh interpreter: (its exit code and the heavy modules it
    imported, its stderr)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", CHILD, "read-only" if read_only else "-",
                           *argv], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def one_line(stderr: str, command: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"musicsage {command}: "), stderr
    return lines[0]


@pytest.fixture
def library(tmp_path, capsys) -> Path:
    """A library of one scanned track, not embedded."""
    music, data = tmp_path / "music", tmp_path / "data"
    music.mkdir()
    sf.write(music / "a.wav", np.zeros(22050, np.float32), 22050)
    assert main(["--data-dir", str(data), "scan", str(music)]) == 0
    capsys.readouterr()
    return data


def test_train_refuses_a_read_only_library_before_loading_torch(library):
    out, err = run_cli("--data-dir", str(library), "train", read_only=True)
    assert out == {"rc": 1, "heavy": []}
    assert "is not writable" in one_line(err, "train")


def test_a_bad_window_argument_comes_before_the_missing_display(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["--size", "foo"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "'foo' is not a window size" in err and "display" not in err
    if sys.platform.startswith("linux"):  # good arguments: the display is what is missing
        assert main(["--size", "800x600"]) == 1
        assert "no display" in capsys.readouterr().err


def test_main_py_refuses_a_bad_argument_before_the_missing_display():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "--size", "foo"],
                          capture_output=True, text=True, cwd=REPO, timeout=60,
                          env={**env, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 2, proc.stderr
    assert "'foo' is not a window size" in proc.stderr and "display" not in proc.stderr


def test_openl3_refuses_a_hop_before_looking_for_its_weights(ctx, monkeypatch):
    import musicsage.audio.openl3 as openl3

    def no_weights(*_args, **_kwargs):
        raise AssertionError("the weights were looked for before the policy was checked")

    monkeypatch.setattr(openl3, "resolve_source", no_weights)
    for policy in ({"hop": 0.05}, {"max_seconds": float("inf")}, {"n_excerpts": 0}):
        with pytest.raises(MusicsageError, match="OpenL3 policy needs"):
            openl3.create_embedder(ctx, device="cpu", **policy)


def test_embed_openl3_refuses_its_hop_in_one_line_before_loading_torch(library, tmp_path):
    weights = tmp_path / "w.h5"
    weights.write_bytes(b"never read: the hop is refused first")
    out, err = run_cli("--data-dir", str(library), "embed", "--model", "openl3",
                       "--openl3-weights", str(weights), "--hop", "0.05", "--device", "cpu")
    assert out == {"rc": 1, "heavy": []}
    assert "(got hop 0.05 s" in one_line(err, "embed")
