"""Ctrl-C during ``models --use``: the switch is made first, then the tracks the model never
saw are placed. Stopped after the switch, the command said only "interrupted" — a user took
it that nothing had changed, and ``similar`` then said the query had no graph vector."""

from __future__ import annotations

import pytest

from musicsage import cli
from musicsage.usecases.training import current_graph_model
from hints_told_support import as_default


def _stop(*_args, **_kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize("stopped_in", ["placing", "switching"])
def test_a_stopped_switch_says_which_model_is_current(two_models, monkeypatch, capsys,
                                                     stopped_in):
    import musicsage.graph.store as store
    import musicsage.usecases.inductive as inductive

    ctx, first, second = two_models
    target = inductive if stopped_in == "placing" else store
    monkeypatch.setattr(target, "embed_new_tracks" if stopped_in == "placing"
                        else "set_current", _stop)

    code = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])

    err = as_default(capsys.readouterr().err, ctx.data_dir).strip().splitlines()[-1]
    assert code == 130
    if stopped_in == "placing":
        assert current_graph_model(ctx).id == first
        assert err == (f"musicsage models: interrupted: model {first} is now current; run "
                       "`musicsage embed` to place the tracks it never saw")
    else:
        assert current_graph_model(ctx).id == second
        assert err == f"musicsage models: interrupted: model {second} stays current"
