"""A model.pt trained on other data than its model's saved vectors — another library's model
copied over it, or another model's of this library — was listed "ok", kept in ``stats`` as
the current model's whole file, and ``models --use`` made it current: placing new tracks then
ran weights that never made the saved vectors (a cryptic "another width" failure at best, at
worst vectors silently in another space). The data fingerprint it saved is compared with
its model's row (both written from one training's data): such a file is the model's damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.usecases.models import list_graph_models, use_graph_model
from hints_told_support import as_default

OTHER_LINE = ("model.pt is damaged: holds another graph model (trained on other data: copied "
              "from another model or library?)")


def _row(ctx, model_id: int):
    return next(r for r in list_graph_models(ctx) if r.id == model_id)


def _trained_on_other_data(ctx, model_id: int) -> Path:
    """Model ``model_id``'s model.pt, rewritten as a model of other data would have it."""
    import torch

    path = Path(_row(ctx, model_id).dir) / "model.pt"
    payload = torch.load(path, map_location="cpu", weights_only=True)
    assert len(payload["fingerprint"]) == 16
    torch.save(dict(payload, fingerprint="0123456789abcdef"), path)
    return path


def test_it_is_listed_as_the_models_damage(two_models):
    ctx, first, _second = two_models
    assert _row(ctx, first).problem is None
    _trained_on_other_data(ctx, first)
    assert _row(ctx, first).problem == OTHER_LINE


def test_models_use_refuses_it(two_models, capsys):
    ctx, first, second = two_models
    _trained_on_other_data(ctx, first)
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)]) == 1
    err = as_default(capsys.readouterr().err, ctx.data_dir).strip()
    assert err == (f"musicsage models: graph model {first} is unusable: {OTHER_LINE}; train "
                   "another (`musicsage train`) or use another (`musicsage models --use ID`)")


def test_stats_does_not_call_the_current_one_whole(two_models, capsys):
    ctx, first, _second = two_models
    use_graph_model(ctx, first)
    _trained_on_other_data(ctx, first)
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    (graph,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("graph")]
    assert f"model {first} on spectral is DAMAGED: {OTHER_LINE}" in graph, graph


def test_the_load_refuses_it_given_its_models_fingerprint(two_models):
    from musicsage.graph.checkpoint import load_checkpoint

    ctx, first, _second = two_models
    path = _trained_on_other_data(ctx, first)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path, fingerprint=_fingerprint(ctx, first))
    # the file reads: "is not a readable graph model: it holds another…" said otherwise
    assert str(caught.value).startswith(f"{path} holds another graph model (trained on other "
                                        "data: copied from another model or library?); "
                                        "retrain it"), caught.value
    assert load_checkpoint(path)[1]["fingerprint"] == "0123456789abcdef"  # none given


def test_a_row_whose_fingerprint_is_no_data_fingerprint_tells_nothing(two_models):
    """A row written by hand or by a test ("f", "x-second") is not compared: the listing of
    such a model is as before."""
    ctx, _first, second = two_models
    assert len(_fingerprint(ctx, second)) != 16 and _row(ctx, second).problem is None


def _fingerprint(ctx, model_id: int) -> str:
    from musicsage.graph.store import list_models
    from musicsage.library.db import connect

    return next(m.fingerprint for m in list_models(connect(ctx), ctx) if m.id == model_id)


def test_placing_tracks_refuses_it_instead_of_running_it(two_models):
    """``current_saved_model`` (the current model loaded whole; no command of musicsage
    calls it) loads its file with its row's fingerprint: such a file is refused, not run.
    ``embed`` places new tracks through ``usecases.inductive``, which loads it the same way:
    tests/inductive/test_models_fixmodels_other_data_not_placed.py."""
    from musicsage.graph.serve import current_saved_model
    from musicsage.library.db import connect

    ctx, first, _second = two_models
    use_graph_model(ctx, first)
    assert current_saved_model(connect(ctx), ctx) is not None
    _trained_on_other_data(ctx, first)
    with pytest.raises(MusicsageError, match="holds another graph model"):
        current_saved_model(connect(ctx), ctx)
