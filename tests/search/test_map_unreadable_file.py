"""A saved map file cut short (a full disk, a copy interrupted) or replaced by junk was laid
out again without a word: `map` printed "(umap, 1.6 s)" as for a first map, and the user
never learnt that their map — its arrangement — was gone. It is laid out again deliberately
now, saying why in one line, and the torn file is replaced by the new map."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage import cli
from musicsage.search.projection import MAP_FILE, UNREADABLE, MapParams, read_saved_layout


@pytest.mark.parametrize("damage", ["cut short", "junk", "empty"])
def test_a_torn_map_file_is_laid_out_again_saying_why(capsys, ctx, library, damage):
    library.add(20)
    library.embed(clustered_vectors(20, clusters=4))
    args = ["map", "--space", "audio", "--data-dir", str(ctx.data_dir)]
    assert cli.main(args + ["--json"]) == 0
    first = json.loads(capsys.readouterr().out)["audio"]
    assert "relaid_because" not in first  # a first map: nothing to explain
    path = ctx.search_dir / "audio" / MAP_FILE
    whole = path.read_bytes()
    path.write_bytes({"cut short": whole[:len(whole) // 2], "junk": b"not a map",
                      "empty": b""}[damage])

    assert cli.main(args) == 0
    out, err = capsys.readouterr()
    assert f"; laid out afresh: {UNREADABLE})" in out
    assert "Traceback" not in err
    assert read_saved_layout(path.parent, params=MapParams()) is not None  # replaced whole
    assert cli.main(args + ["--json"]) == 0
    again = json.loads(capsys.readouterr().out)["audio"]
    assert again["cached"] and "relaid_because" not in again
    assert np.isfinite([[p["x"], p["y"]] for p in again["points"]]).all()
