"""A model.pt whose bytes read back as zeros (blocks lost in a crash, a copy from a failing
disk) is damaged: only a zip archive's checksums were checked, so ``models`` listed such a
model "ok", ``stats`` called the current one whole and a learned-nothing run kept it current,
while it placed no new track and ``models --use`` refused it."""

from __future__ import annotations

import os

from musicsage import cli
from musicsage.usecases.models import current_model_problem, list_graph_models


def _zero_fill(ctx, model_id) -> None:
    folder = next(r for r in list_graph_models(ctx) if r.id == model_id).dir
    path = os.path.join(folder, "model.pt")
    size = os.path.getsize(path)
    with open(path, "wb") as fh:
        fh.write(bytes(size))


def test_a_zero_filled_current_model_is_listed_and_stated_damaged(two_models, capsys):
    ctx, first, second = two_models
    _zero_fill(ctx, second)  # the current one
    problem = current_model_problem(ctx)
    assert problem is not None and problem.startswith("model.pt is damaged")
    assert "zero bytes" in problem
    rows = {r.id: r for r in list_graph_models(ctx)}
    assert rows[second].problem == problem and not rows[second].usable
    assert rows[first].problem is None
    assert cli.main(["--data-dir", str(ctx.data_dir), "models"]) == 0
    out, _err = capsys.readouterr()
    listed = next(line for line in out.splitlines() if line.startswith("*"))
    assert "DAMAGED" in listed and " ok" not in listed


def test_a_switch_to_a_zero_filled_model_is_refused_in_one_line(two_models, capsys):
    ctx, first, second = two_models
    _zero_fill(ctx, first)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert f"graph model {first} is unusable: model.pt is damaged" in err and "zero bytes" in err


def _overwrite(ctx, model_id, data: bytes) -> None:
    folder = next(r for r in list_graph_models(ctx) if r.id == model_id).dir
    with open(os.path.join(folder, "model.pt"), "wb") as fh:
        fh.write(data)


def test_random_bytes_or_text_in_model_pt_are_listed_damaged(two_models, capsys):
    ctx, first, second = two_models
    _overwrite(ctx, first, os.urandom(4096).replace(b"\x00", b"\x01").replace(b"\x80", b"\x81")
               .replace(b"P", b"Q"))  # neither zip nor pickle, whatever the draw
    _overwrite(ctx, second, b"# notes the user saved over the model\n" * 40)
    rows = {r.id: r for r in list_graph_models(ctx)}
    for model_id in (first, second):
        assert rows[model_id].problem.startswith("model.pt is damaged")
        assert "begins as no saved model does" in rows[model_id].problem
        assert not rows[model_id].usable
    assert cli.main(["--data-dir", str(ctx.data_dir), "models"]) == 0
    out, _err = capsys.readouterr()
    listed = [line for line in out.splitlines() if "DAMAGED" in line]
    assert len(listed) == 2 and not any(" ok" in line for line in listed)


def test_an_empty_model_pt_is_said_empty_not_missing(two_models):
    ctx, first, second = two_models
    _overwrite(ctx, second, b"")  # truncated to nothing: the file is there
    rows = {r.id: r for r in list_graph_models(ctx)}
    assert rows[second].problem == "model.pt is empty" and not rows[second].usable
    folder = rows[first].dir
    os.remove(os.path.join(folder, "model.pt"))
    assert {r.id: r for r in list_graph_models(ctx)}[first].problem == "model.pt is missing"
