"""``train --dataset D --out O`` killed (SIGKILL) while it saves, then run again: O holds
one run's files, never the new embeddings beside the last run's model and metrics."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

from musicsage.files import replaced_together
from musicsage.graph.jobs import TRAIN_OUT_FILES, make_config, train_dataset

sys.path.insert(0, str(Path(__file__).parent / "graph"))
from dataset_files import round_robin_dataset  # noqa: E402

NAMES = ("a.bin", "b.bin", "c.bin")


def _killed(script: str) -> None:
    """Run ``script`` in a fresh interpreter that ends by SIGKILL (no ``finally`` runs)."""
    preamble = "import os, signal\ndef die(*_a, **_k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    done = subprocess.run([sys.executable, "-c", preamble + textwrap.dedent(script)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.name in TRAIN_OUT_FILES}


def _old_set(folder: Path) -> None:
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_bytes(b"old " + name.encode())
    (folder / "notes.txt").write_text("the user's own")


def test_a_set_killed_while_staged_leaves_the_old_set_and_goes_next_time(tmp_path):
    _old_set(tmp_path / "out")
    _killed(f"""
        from pathlib import Path
        from musicsage.files import replaced_together
        with replaced_together(Path({str(tmp_path / 'out')!r}), {NAMES!r}) as stage:
            (stage / "a.bin").write_bytes(b"new")
            (stage / "b.bin").write_bytes(b"new")
            die()""")
    out = tmp_path / "out"
    assert [(out / n).read_bytes() for n in NAMES] == [b"old a.bin", b"old b.bin", b"old c.bin"]
    with replaced_together(out, NAMES) as stage:
        for name in NAMES:
            (stage / name).write_bytes(b"new " + name.encode())
    assert sorted(p.name for p in out.iterdir()) == [*NAMES, "notes.txt"]  # the stage went
    assert [(out / n).read_bytes() for n in NAMES] == [b"new a.bin", b"new b.bin", b"new c.bin"]


def test_a_set_killed_in_its_commit_is_never_a_mix(tmp_path):
    _old_set(tmp_path / "out")
    _killed(f"""
        import os
        from pathlib import Path
        from musicsage.files import replaced_together
        real, calls = os.replace, []
        def replace(src, dst):
            calls.append(dst)
            die() if len(calls) == 2 else real(src, dst)
        os.replace = replace
        with replaced_together(Path({str(tmp_path / 'out')!r}), {NAMES!r}) as stage:
            for name in {NAMES!r}:
                (stage / name).write_bytes(b"new " + name.encode())""")
    out = tmp_path / "out"
    assert [(out / n).read_bytes() for n in NAMES if (out / n).exists()] == [b"new a.bin"]
    assert (out / "notes.txt").read_text() == "the user's own"


def test_a_set_killed_while_it_removes_the_old_one_holds_old_files_only(tmp_path):
    """Killed on the second delete of the commit: some of the old set, none of the new —
    files of one run only — and never the last name (which says the set is whole)."""
    _old_set(tmp_path / "out")
    _killed(f"""
        import os
        from pathlib import Path
        from musicsage.files import replaced_together
        out = Path({str(tmp_path / 'out')!r})
        real, calls = os.unlink, []
        def unlink(path, *a, **k):
            if Path(path).parent == out:
                calls.append(path)
                if len(calls) == 2:
                    die()
            real(path, *a, **k)
        os.unlink = unlink
        with replaced_together(out, {NAMES!r}) as stage:
            for name in {NAMES!r}:
                (stage / name).write_bytes(b"new " + name.encode())""")
    out = tmp_path / "out"
    assert [(out / n).read_bytes() for n in NAMES if (out / n).exists()] == [b"old a.bin",
                                                                          b"old b.bin"]
    assert (out / "notes.txt").read_text() == "the user's own"


def test_train_killed_while_saving_keeps_the_last_runs_files_together(tmp_path):
    data, out = round_robin_dataset(tmp_path / "ds"), tmp_path / "out"
    config = make_config(max_steps=2, seed=1, options={"threads": 1, "choose_contexts": False})
    train_dataset(data, out, config=config, holdout=0.2, device="cpu")
    first = _digests(out)
    _killed(f"""
        import musicsage.graph.jobs as jobs
        jobs.save_checkpoint = die  # embeddings.npy is written by then
        jobs.train_dataset({str(data)!r}, {str(out)!r}, holdout=0.2, device="cpu",
                           config=jobs.make_config(max_steps=2, seed=2,
                                                   options={{"threads": 1,
                                                             "choose_contexts": False}}))""")
    assert _digests(out) == first, "a killed run mixed its files with the last run's"
    config = config.with_(seed=2)
    train_dataset(data, out, config=config, holdout=0.2, device="cpu")
    assert set(_digests(out)) == set(TRAIN_OUT_FILES)
    assert _digests(out)["embeddings.npy"] != first["embeddings.npy"]
    assert sorted(p.name for p in out.iterdir()) == [".musicsage-output", *sorted(TRAIN_OUT_FILES)]
