"""``embed`` places the new tracks with the current model's saved weights
(``usecases.inductive._embed``), which loads model.pt given its row's data fingerprint. A
model.pt trained on other data (another library's model copied over it) ran there: the new
tracks got vectors from weights that never made the model's saved vectors. The note says
the model cannot be used and what its model.pt holds (not "is not a readable graph model":
the file reads), and no track is placed."""

from __future__ import annotations

import torch

from musicsage import cli
from musicsage.usecases.graph_vectors import read_inductive
from musicsage.usecases.training import current_graph_model


def test_embed_places_no_track_with_a_model_pt_of_other_data(trained, add_music, capsys):
    ctx = trained
    model = current_graph_model(ctx)
    payload = torch.load(model.checkpoint_path, map_location="cpu", weights_only=True)
    assert len(payload["fingerprint"]) == 16 and payload["fingerprint"] != "0123456789abcdef"
    torch.save(dict(payload, fingerprint="0123456789abcdef"), model.checkpoint_path)
    new = add_music(ctx, n=1)
    capsys.readouterr()
    rc = cli.main(["embed", "--model", "spectral", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0 and "Traceback" not in err and "embedded 1 of 1" in out
    (note,) = [line for line in err.splitlines() if line.startswith("note: ")]
    assert note.startswith(f"note: new tracks get no graph vectors: the graph model (model "
                           f"{model.id}) cannot be used ("), note
    assert f"{model.checkpoint_path} holds another graph model (trained on other data" in note
    assert "not a readable" not in note, note  # the file reads: it cannot be used
    placed = read_inductive(current_graph_model(ctx))
    assert placed is None or not set(new) & set(placed.track_ids.tolist())
