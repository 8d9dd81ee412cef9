"""The map's progress reads like every other command's: each stage a count of what is done out
of how many. `map` printed "map: fuzzy graph: 0it" (a stage with no total) and "map:
neighbours … 3214423897.95it/s" (its bar closed by the index build's reports in between, then
opened again at 100 %: a whole library in no time)."""

from __future__ import annotations

import io
import re

import numpy as np
from search_helpers import clustered_vectors

from musicsage.commands import output
from musicsage.search.index import IndexParams, SpaceIndex
from musicsage.search.projection import compute_map


def test_every_map_stage_counts_and_no_bar_opens_twice(tmp_path, monkeypatch):
    said = []
    stderr = io.StringIO()
    monkeypatch.setattr(output.sys, "stderr", stderr)
    bars = output.tqdm_progress()
    space = SpaceIndex("audio", np.arange(1, 41), clustered_vectors(40, clusters=4),
                       model_id="m", directory=tmp_path,  # its index built for the map
                       params=IndexParams(exact_below=0))

    def progress(p):
        said.append(p)
        bars(p)

    assert compute_map(space, progress=progress).method == "umap"
    bars.close()
    stages = [p.stage for p in said]
    runs = [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s]
    assert runs == ["map: neighbours", "map: fuzzy graph", "map: layout"], runs
    assert all(p.total and 0 <= p.done <= p.total for p in said), \
        {(p.stage, p.done, p.total) for p in said if not p.total}
    assert [(p.done, p.total) for p in said if p.stage == "map: fuzzy graph"][-1] == (40, 40)
    assert not re.search(r": \d+it \[", stderr.getvalue())  # a count with no total
