"""`similar` says, beside a full graph list, that the saved model placed the query track.

A track added (or changed) since the graph model was trained gets its graph vector from the
saved model: its neighbours come from what the model learnt of other tracks, and only a
retrain learns from its own playlists. The window said so under its lists; `similar` listed
the same neighbours on the command line and in its JSON without a word of it."""

from __future__ import annotations

import json

from musicsage import cli
from musicsage.errors import TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_vectors import placed_note, trained_track_ids
from musicsage.usecases.training import current_graph_model
from hints_told_support import as_default


def _similar(capsys, ctx, *args: str) -> tuple[int, str, str]:
    rc = cli.main(["similar", *args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    return rc, as_default(out, ctx.data_dir), as_default(err, ctx.data_dir)


def test_similar_says_it_on_stderr_and_in_its_json_of_that_track_only(trained, add_music,
                                                                     capsys):
    ctx = trained
    new = add_music(ctx, n=2)
    embed_library(ctx, "spectral")
    model = current_graph_model(ctx)
    note = placed_note(ctx, new[0])  # the window's words (its own tests check them)
    assert note and f"not in graph model {model.id}'s training" in note
    assert note.endswith(f"a retrain learns from it ({TRAIN_HINT})"), "the command line's hint"
    said = f"graph: {note}"

    rc, out, err = _similar(capsys, ctx, str(new[0]), "--space", "graph")
    assert rc == 0 and out.splitlines()[1].startswith("graph (graph-"), out
    assert said in err.splitlines()

    rc, out, _err = _similar(capsys, ctx, str(new[0]), "--json")
    data = json.loads(out)
    assert rc == 0 and data["graph"] and data["audio"]
    assert data["notes"]["graph"] == data["graph_note"] == said.removeprefix("graph: ")
    assert "audio" not in data["notes"]

    old = int(trained_track_ids(model)[0])
    rc, _out, err = _similar(capsys, ctx, str(old))
    assert rc == 0 and "training" not in err, "a track seen in training"
    rc, _out, err = _similar(capsys, ctx, str(new[0]), "--space", "audio")
    assert rc == 0 and "training" not in err, "the audio list alone"

