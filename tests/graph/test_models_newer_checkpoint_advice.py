"""A model.pt written by a newer musicsage is whole: the newer version uses it. The only
advice given was to retrain ("retrain it", ``models --use``'s "train another … or use
another …", ``embed``'s "retrain to rebuild it"), as if the model were lost — while the
library database and the tags cache of a newer version say to upgrade. Every one of those
lines now says that upgrading musicsage uses it, the other ways kept."""

from __future__ import annotations

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.checkpoint import VERSION, load_checkpoint
from musicsage.usecases.models import list_graph_models
from musicsage.usecases.training import current_graph_model
from hints_told_support import as_default

UPGRADE = f"this one reads up to {VERSION}: upgrade musicsage to use it)"


def _newer(ctx, model_id: int) -> str:
    """Model ``model_id``'s model.pt, rewritten as a newer musicsage's (one version up)."""
    import torch

    path = next(r.dir for r in list_graph_models(ctx) if r.id == model_id) + "/model.pt"
    payload = torch.load(path, map_location="cpu", weights_only=True)
    torch.save(dict(payload, version=VERSION + 1), path)
    return path


def test_the_load_says_to_upgrade_before_retraining(two_models):
    ctx, first, _second = two_models
    path = _newer(ctx, first)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    assert str(caught.value) == (
        f"{path} was written by a newer musicsage (graph model version {VERSION + 1}; "
        f"{UPGRADE}: retrain it (Retrain in the window, or musicsage train)")


def test_models_use_says_to_upgrade_as_well_as_train_or_use_another(two_models, capsys):
    ctx, first, second = two_models
    path = _newer(ctx, first)
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)]) == 1
    err = as_default(capsys.readouterr().err, ctx.data_dir).strip()
    assert err == (f"musicsage models: graph model {first} is unusable: {path} was written by "
                   f"a newer musicsage (graph model version {VERSION + 1}; {UPGRADE}; train "
                   "another (`musicsage train`) or use another (`musicsage models --use ID`)")
    assert current_graph_model(ctx).id == second
