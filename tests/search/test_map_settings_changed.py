"""A saved map laid out again because its settings changed (the separation joined the cache
key) says so on its progress: it printed bars, then "(umap, 7.6 s)", with no word of why —
minutes of silent waiting on a large library — and the result keeps it for the summary line
(`map`: "… (umap, 7.6 s; laid out afresh: the map's settings changed since it was saved)")."""

from __future__ import annotations

import numpy as np
from search_helpers import clustered_vectors

from musicsage.search.index import SpaceIndex
from musicsage.search.projection import (MAP_FILE, SETTINGS_CHANGED, MapParams, compute_map,
                                         saved_with_other_settings)


def _mapped(directory, params: MapParams):
    """compute_map of 20 clustered tracks (a UMAP layout), and the progress it reported."""
    said = []
    space = SpaceIndex("audio", np.arange(1, 21), clustered_vectors(20, clusters=4),
                       model_id="m", directory=directory)
    return compute_map(space, params=params, progress=said.append), said


def test_a_map_of_other_settings_laid_out_again_says_why(tmp_path):
    old = MapParams(separation=0)
    first, said = _mapped(tmp_path, old)
    assert first.method == "umap" and said and first.note is None
    assert not any(SETTINGS_CHANGED in p.message for p in said)  # a first layout: nothing to say
    assert not saved_with_other_settings([tmp_path], old)

    assert saved_with_other_settings([tmp_path], MapParams())
    again, said = _mapped(tmp_path, MapParams())
    assert again.method == "umap" and not again.cached
    stages = {p.stage for p in said}
    assert {"map: neighbours", "map: layout"} <= stages
    assert all(p.message == SETTINGS_CHANGED for p in said), {(p.stage, p.message) for p in said}
    assert again.note == SETTINGS_CHANGED  # kept for the summary: the bars are gone by then

    cached, said = _mapped(tmp_path, MapParams())
    assert cached.cached and not said


def test_an_unreadable_or_absent_map_is_no_settings_change(tmp_path):
    assert not saved_with_other_settings([tmp_path / "none"], MapParams())
    (tmp_path / MAP_FILE).write_bytes(b"not a zip")
    assert not saved_with_other_settings([tmp_path], MapParams())


def test_the_map_command_says_why_after_the_bars_are_gone(capsys, ctx, library, monkeypatch):
    import json

    from musicsage import cli
    from musicsage.search import projection

    library.add(20)
    library.embed(clustered_vectors(20, clusters=4))
    monkeypatch.setattr(projection, "saved_with_other_settings", lambda *a: True)
    args = ["map", "--space", "audio", "--data-dir", str(ctx.data_dir)]
    assert cli.main(args + ["--json"]) == 0
    assert json.loads(capsys.readouterr().out)["audio"]["relaid_because"] == SETTINGS_CHANGED
    assert cli.main(args + ["--relayout"]) == 0  # asked for: nothing to explain
    assert "laid out afresh" not in capsys.readouterr().out
    (ctx.search_dir / "audio" / MAP_FILE).unlink()  # the test's own map: laid out again
    assert cli.main(args) == 0
    assert f"s; laid out afresh: {SETTINGS_CHANGED})" in capsys.readouterr().out
