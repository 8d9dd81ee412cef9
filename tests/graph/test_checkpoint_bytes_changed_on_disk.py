"""A model.pt whose bytes changed on disk after it was saved (a bad sector, a copy gone wrong)
while its archive stays whole: torch reads the weights without checking the archive's
checksums, so such a model was made current by ``models --use`` and placed new tracks with
garbage weights. It is refused in one line instead, nothing changed."""

from __future__ import annotations

import os
import zipfile

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.checkpoint import load_checkpoint
from musicsage.usecases.models import list_graph_models, use_graph_model
from musicsage.usecases.training import current_graph_model


def _flip_weight_bytes(path: str) -> None:
    """Invert a few bytes inside the largest tensor of ``path``, its archive left whole."""
    with zipfile.ZipFile(path) as archive:
        biggest = max((i for i in archive.infolist() if "/data/" in i.filename),
                      key=lambda i: i.file_size)
    with open(path, "rb") as fh:  # its bytes start after the local header: 30 bytes, the
        fh.seek(biggest.header_offset + 26)  # name and the extra field
        name_len, extra_len = (int.from_bytes(fh.read(2), "little") for _ in range(2))
    start = biggest.header_offset + 30 + name_len + extra_len
    with open(path, "r+b") as fh:
        fh.seek(start + biggest.file_size // 2)
        chunk = fh.read(16)
        fh.seek(start + biggest.file_size // 2)
        fh.write(bytes(b ^ 0xFF for b in chunk))
    with zipfile.ZipFile(path) as archive:  # still a whole archive: only its checksum tells
        assert archive.testzip() == biggest.filename


def _checkpoint_of(ctx, model_id) -> str:
    folder = next(r for r in list_graph_models(ctx) if r.id == model_id).dir
    return os.path.join(folder, "model.pt")


def test_changed_weights_are_refused_when_loaded(two_models):
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    _flip_weight_bytes(path)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert "fails its checksum" in message and "\n" not in message


def test_a_switch_to_a_model_with_changed_weights_is_refused(two_models, capsys):
    ctx, first, second = two_models
    _flip_weight_bytes(_checkpoint_of(ctx, first))
    with pytest.raises(MusicsageError, match=f"graph model {first} is unusable: model.pt"):
        use_graph_model(ctx, first)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and f"graph model {first} is unusable" in err
    assert current_graph_model(ctx).id == second


def test_an_overwritten_checkpoint_says_so_in_one_line_without_torchs_advice(two_models):
    """torch's text for a file that is no checkpoint ran over lines and advised loading it
    with ``weights_only=False`` — running whatever code the file holds."""
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    import pickle

    with open(path, "wb") as fh:
        pickle.dump({"not": {"a", "model"}}, fh)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert "not a readable graph model" in message and "\n" not in message
    assert "weights_only" not in message


@pytest.mark.parametrize("lacking", ["audio_model", "contexts"])
def test_a_checkpoint_lacking_part_of_its_description_is_refused_in_one_line(
        two_models, capsys, lacking):
    """A checkpoint of the current format lacking a key (written by hand, or by a tool
    that rewrote it) crashed ``models --use`` with a KeyError — at once, or once the switch
    was made and the saved model placed new tracks."""
    import torch

    ctx, first, second = two_models
    path = _checkpoint_of(ctx, first)
    payload = torch.load(path, weights_only=True)
    payload.pop(lacking)
    torch.save(payload, path)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err and "bug" not in err, err
    assert err.strip().splitlines() == [f"musicsage models: graph model {first} is unusable: "
                                        "model.pt is damaged or does not fit this version"]
    assert current_graph_model(ctx).id == second
