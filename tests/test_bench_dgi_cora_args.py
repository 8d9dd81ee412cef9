"""``bench/dgi_cora.py --threads 0`` failed with torch's traceback after the imports (its
``--threads`` took any integer, where the other bench scripts share ``thread_count``), and the
README said it runs "exactly this command" while it adds ``--json`` and ``--set threads=N``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))


@pytest.mark.parametrize("threads", ["0", "two", "-1"])
def test_a_thread_count_that_is_none_is_refused_before_anything_runs(threads, capsys):
    import dgi_cora

    with pytest.raises(SystemExit) as exc:
        dgi_cora.main(["--threads", threads])
    assert exc.value.code == 2
    assert f"{threads!r} is not a number of threads" in capsys.readouterr().err


def test_the_readme_names_what_the_script_adds_to_the_command(tmp_path):
    import dgi_cora

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    run = readme[readme.index("Run: `.venv/bin/python bench/dgi_cora.py"):]
    run = " ".join(run[:run.index(")")  + 200].split())
    assert "exactly this command" not in run
    command = dgi_cora.cli_command(tmp_path / "cora", tmp_path / "out", 0, 1)
    for added in ("--json", "--data-dir"):
        assert added in command and f"`{added}`" in run
    assert "threads=1" in command and "`--set threads=1`" in run
