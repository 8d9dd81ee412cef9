"""The scale benches (``umap_scale.py``, ``library_scale.py --stages``) add to the results file
an earlier run left. One killed while writing it left half a JSON file, and the next run died
on it with a traceback after its slow first stage. Now the file is written whole or not at all,
and a cut-off one is read as no earlier results, with one warning."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def test_a_cut_off_results_file_counts_as_none_with_one_warning(tmp_path, capsys):
    from search_data import read_previous

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
    from search_data import write_atomically

    out = tmp_path / "results" / "library_scale_features_10.json"
    write_atomically(out, {"stages": [{"stage": "scan"}]})
    write_atomically(out, {"stages": [{"stage": "embed"}]})
    assert json.loads(out.read_text()) == {"stages": [{"stage": "embed"}]}
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left

