"""``models --remove`` of a library's only graph model: refused as the current one, with a
way out that exists — no "make another current first" when there is no other."""

from __future__ import annotations

from musicsage import cli
from musicsage.usecases.models import list_graph_models, remove_graph_model


def test_the_only_model_is_refused_with_a_way_out_that_exists(two_models, capsys):
    ctx, first, second = two_models
    remove_graph_model(ctx, first)
    assert [r.id for r in list_graph_models(ctx)] == [second]

    code = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(second)])

    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1
    assert "is the current one: it is the library's only graph model" in err
    assert "--use" not in err
    assert [r.id for r in list_graph_models(ctx)] == [second]
