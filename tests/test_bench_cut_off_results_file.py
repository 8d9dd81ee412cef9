"""The scale benches (``umap_scale.py``, ``library_scale.py --stages``) add to the results file
an earlier run left. One killed while writing it left half a JSON file, and the next run died
on it with a traceback after its slow first stage. Now the file is written whole or not at all,
and a cut-off one is read as no earlier results, with one warning."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def test_a_cut_off_results_file_counts_as_none_with_one_warning(tmp_path, capsys):
    from bench_files import read_previous

    out = tmp_path / "umap_scale.json"
    out.write_text('{"tracks": 100000, "variants": {"pca": {"seconds"')
    assert read_previous(out) == {}
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {out} is not a whole results file (cut off?); starting afresh"]
    assert read_previous(tmp_path / "absent.json") == {}
    out.write_text('{"tracks": 5, "variants": {}}')
    assert read_previous(out) == {"tracks": 5, "variants": {}}
    assert capsys.readouterr().err == ""


def test_results_are_written_whole_into_a_new_folder(tmp_path):
    from bench_files import write_json

    out = tmp_path / "results" / "library_scale_features_10.json"
    write_json(out, {"stages": [{"stage": "scan"}]})
    write_json(out, {"stages": [{"stage": "embed"}]})
    assert json.loads(out.read_text()) == {"stages": [{"stage": "embed"}]}
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    from bench_files import write_json

    out = tmp_path / "search_recall.json"
    out.write_text('{"old": 1}')

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        write_json(out, {"new": 2})
    assert out.read_text() == '{"old": 1}'
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_umap_scale_adds_to_a_cut_off_results_file_without_a_traceback(tmp_path, monkeypatch,
                                                                        capsys):
    """umap_scale's own reading step, its slow stages (the kNN, each variant's child process,
    the quality measures) stubbed: a cut-off file from a killed run is started afresh."""
    import umap_scale

    from musicsage.search import umap_runtime

    out = tmp_path / "bench" / "results" / "umap_scale.json"
    out.parent.mkdir(parents=True)
    out.write_text('{"tracks": 50, "variants": {"default": {"seconds"')
    monkeypatch.setattr(umap_scale, "REPO", tmp_path)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "numba"))
    monkeypatch.setattr(umap_runtime, "configure_numba_cache", lambda path: path)
    monkeypatch.setattr(umap_scale, "knn", lambda n, work: (None, None, 1.25))
    monkeypatch.setattr(umap_scale, "quality", lambda name, n, work: {"trust": 0.9})
    monkeypatch.setattr(umap_scale.subprocess, "run", lambda *a, **k: SimpleNamespace(
        stdout='RESULT {"seconds": 2.0}\n', stderr=""))
    monkeypatch.setattr(sys, "argv", ["umap_scale.py", "--tracks", "50", "--variants", "pca",
                                      "--work", str(tmp_path / "work")])
    assert umap_scale.main() == 0
    written = json.loads(out.read_text())
    assert written["tracks"] == 50
    assert written["variants"] == {"pca": {"seconds": 2.0, "load": written["variants"]["pca"]
                                           ["load"], "trust": 0.9}}
    assert f"warning: {out} is not a whole results file" in capsys.readouterr().err
