"""A model.pt that musicsage did not write — another program's torch file, any zip archive,
a plain pickle — was listed "ok" by ``musicsage models`` (and ``stats`` called the current
model whole) because only the archive's checksums were read; it was refused only once picked
(``models --use``). The listing now reads the description's format too (without unpickling
it), so such a file is listed as the model's damage while a model musicsage wrote — in
torch's zip format or its older one — stays "ok"."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from pathlib import Path

import pytest

from musicsage import cli
from musicsage.usecases.models import list_graph_models
from hints_told_support import as_default

FOREIGN_LINE = "model.pt is damaged: holds no musicsage graph model (another program's file?)"


def _rows(ctx) -> dict:
    return {row.id: row for row in list_graph_models(ctx)}


def _model_pt(ctx, model_id: int) -> Path:
    return Path(_rows(ctx)[model_id].dir) / "model.pt"


def _foreign_torch_file(path: Path) -> None:
    import torch

    torch.save({"weights": torch.zeros(4), "epoch": 3}, path)


def _foreign_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:  # whole: every checksum holds
        archive.writestr("archive/data.pkl", b"not a pickle at all")
        archive.writestr("archive/notes.txt", b"another program's archive")


def _foreign_pickle(path: Path) -> None:
    path.write_bytes(pickle.dumps({"format": "someone-else", "weights": [1.0, 2.0]},
                                  protocol=2))


@pytest.mark.parametrize("write", [_foreign_torch_file, _foreign_zip, _foreign_pickle])
def test_a_foreign_model_pt_is_not_listed_ok(two_models, write, capsys):
    ctx, first, second = two_models
    assert _rows(ctx)[first].problem is None  # musicsage's own file: listed ok
    write(_model_pt(ctx, first))
    row = _rows(ctx)[first]
    assert row.problem == FOREIGN_LINE and not row.usable
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--json"]) == 0
    listed = {m["id"]: m for m in json.loads(capsys.readouterr().out)["models"]}
    assert listed[first]["status"] == "damaged" and listed[second]["status"] == "ok"


def test_the_current_foreign_model_is_not_called_whole_by_stats(two_models, capsys):
    ctx, _first, second = two_models
    _foreign_torch_file(_model_pt(ctx, second))
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    (graph,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("graph")]
    assert f"model {second} on spectral is DAMAGED: {FOREIGN_LINE}" in graph, graph


def test_a_model_in_torchs_older_format_is_still_listed_ok_and_loads(two_models):
    """A pickle stream is no longer waved through unread: the same model saved in torch's
    format before 1.6 (three small pickles, then the payload's) is still musicsage's."""
    import torch

    from musicsage.graph.checkpoint import load_checkpoint

    ctx, first, _second = two_models
    path = _model_pt(ctx, first)
    payload = torch.load(path, map_location="cpu", weights_only=True)
    buffer = io.BytesIO()
    torch.save(payload, buffer, _use_new_zipfile_serialization=False)
    path.write_bytes(buffer.getvalue())
    assert not path.read_bytes().startswith(b"PK")
    assert _rows(ctx)[first].problem is None
    _model, loaded = load_checkpoint(path)
    assert loaded["format"] == "musicsage-graph"


@pytest.mark.parametrize("write", [_foreign_torch_file, _foreign_zip, _foreign_pickle])
def test_models_use_of_a_foreign_file_says_what_the_listing_says(two_models, write, capsys):
    """``--use`` says of such a file what ``models`` lists, whatever it is: it said "is not a
    musicsage graph model (another program's file?)" of a torch file, but "is not a readable
    graph model: it is damaged or no graph model file (RuntimeError)" of a zip and
    "(UnpicklingError)" of a plain pickle, all three listed as holding no musicsage model."""
    ctx, first, second = two_models
    write(_model_pt(ctx, first))
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)]) == 1
    err = as_default(capsys.readouterr().err, ctx.data_dir).strip()
    assert err == (f"musicsage models: graph model {first} is unusable: {FOREIGN_LINE}; train "
                   "another (`musicsage train`) or use another (`musicsage models --use ID`)")
    assert _rows(ctx)[second].is_current  # nothing changed


def test_the_load_of_a_foreign_file_says_what_the_listing_says(two_models):
    """Read before torch is given the file: a foreign one is refused in the listing's words."""
    from musicsage.graph.checkpoint import load_checkpoint
    from musicsage.graph.checkpoint_archive import CheckpointDamaged

    ctx, first, _second = two_models
    path = _model_pt(ctx, first)
    _foreign_zip(path)
    with pytest.raises(CheckpointDamaged) as caught:
        load_checkpoint(path)
    assert str(caught.value).startswith(f"{path} is not a readable graph model: it holds no "
                                        "musicsage graph model (another program's file?); "
                                        "retrain it"), caught.value
