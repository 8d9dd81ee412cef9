"""The graph note of a track the model has not placed advised ``embed`` where no embed can
place it: the current model.pt was written by a newer musicsage (``embed`` then said it cannot
use the model), or the track has no audio vector and no file to analyse (a missing file, a
dataset track imported without one: the embed skipped it). Each now says why, and what
does help — a training, a rescan once the file is back — and the window's button under the
note follows (Retrain, not Compute embeddings, under the newer model's note)."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from new_music_support import build_trained, new_music

from musicsage.errors import EMBED_HINT, RESCAN_HINT, TRAIN_HINT


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from musicsage.audio.threads import torch_threads

    root = tmp_path_factory.mktemp("trained")
    with torch_threads(1):
        _, paths = build_trained(root)
    return root, paths


@pytest.fixture
def trained(template, tmp_path):
    """A private copy of the trained library (its tracks are the template's: never modified)."""
    from musicsage.context import AppContext

    shutil.copytree(template[0] / "data", tmp_path / "data")
    return AppContext.create(tmp_path / "data")


def _add_track(ctx, template, tmp_path):
    """One new track, scanned (not embedded); returns (its id, its file)."""
    from musicsage.library.db import connect
    from musicsage.usecases.library import scan_library

    music, mix = new_music(tmp_path / "new", template[1], 1)
    (track,) = sorted(music.rglob("*.flac"))
    scan_library(ctx, [str(music)], [str(mix)])
    return int(connect(ctx).execute("SELECT MAX(id) FROM tracks").fetchone()[0]), track


def _newer(ctx) -> tuple[int, bytes]:
    """The current model.pt rewritten as a newer musicsage's; (its model id, its digest)."""
    import torch

    from musicsage.graph.checkpoint import VERSION
    from musicsage.usecases.training import current_graph_model

    model = current_graph_model(ctx)
    path = model.dir / "model.pt"
    payload = torch.load(path, map_location="cpu", weights_only=True)
    torch.save(dict(payload, version=VERSION + 1), path)
    return model.id, hashlib.sha256(path.read_bytes()).digest()


def _similar(ctx, track: int, capsys) -> tuple[int, str, str]:
    from musicsage import cli
    from hints_told_support import as_default

    rc = cli.main(["--data-dir", str(ctx.data_dir), "similar", str(track)])
    out, err = capsys.readouterr()
    (graph,) = [line for line in err.splitlines() if line.startswith("graph: ")]
    return rc, out, as_default(graph, ctx.data_dir)


def test_a_newer_models_note_says_train_not_embed(trained, template, tmp_path, capsys):
    from musicsage.controllers.wording import graph_note_button
    from musicsage.graph.checkpoint import VERSION
    from musicsage.usecases.embedding import embed_library, unplaced_note
    from musicsage.usecases.training import current_graph_model

    new, _ = _add_track(trained, template, tmp_path)
    model_id, digest = _newer(trained)
    embed_library(trained, "spectral")  # its audio vector: the model cannot place it
    rc, out, graph = _similar(trained, new, capsys)
    assert rc == 0 and "audio (spectral)" in out  # the audio neighbours are shown
    assert graph == (
        f"graph: the query track has no graph embedding: graph model {model_id} was written by "
        f"a newer musicsage (graph model version {VERSION + 1}; this one reads up to "
        f"{VERSION}), so it places no new track here: a training makes one this version "
        f"reads ({TRAIN_HINT})")
    assert graph_note_button(unplaced_note(trained, "the query track", [new])) == "retrain"
    model = current_graph_model(trained)  # neither deleted nor overwritten
    assert model.id == model_id
    assert hashlib.sha256((model.dir / "model.pt").read_bytes()).digest() == digest


def test_a_newer_models_note_on_a_track_without_audio_says_embed_then_train(
        trained, template, tmp_path):
    from musicsage.usecases.embedding import unplaced_note

    new, _ = _add_track(trained, template, tmp_path)
    _newer(trained)
    note = unplaced_note(trained, "the query track", [new])
    assert "written by a newer musicsage" in note
    assert note.endswith(f"({EMBED_HINT}; then {TRAIN_HINT})"), note


def test_the_version_is_read_as_the_load_reads_it():
    from musicsage.graph.checkpoint import VERSION
    from musicsage.graph.checkpoint_version import READS_UP_TO

    assert READS_UP_TO == VERSION


def test_a_missing_track_without_audio_is_told_to_rescan_once_back(
        trained, template, tmp_path, capsys):
    from musicsage import cli
    from musicsage.usecases.library import scan_library
    from hints_told_support import as_default

    new, track = _add_track(trained, template, tmp_path)
    track.unlink()
    scan_library(trained, [str(track.parent)])  # now listed missing, never analysed
    assert cli.main(["--data-dir", str(trained.data_dir), "similar", str(new)]) == 1
    err = as_default(capsys.readouterr().err, trained.data_dir)
    graph = err.partition("graph: ")[2].partition("; audio: ")[0]
    assert graph == ("the query track has no graph embedding yet: its file is missing: once "
                     f"it is back, a rescan ({RESCAN_HINT}) and an embed place it")
    assert EMBED_HINT not in err and "Traceback" not in err


def test_a_dataset_track_without_a_file_is_not_sent_to_embed(trained, template, tmp_path):
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import unplaced_note

    new, _ = _add_track(trained, template, tmp_path)
    conn = connect(trained)
    with conn:  # as an import from a dataset dir without features.npy stores it
        conn.execute("UPDATE tracks SET path = ? WHERE id = ?", ("dataset:/x#t1", new))
    note = unplaced_note(trained, "no member of the playlist", [new])
    assert note == ("no member of the playlist has a graph embedding yet: it was imported "
                    "from a dataset dir, with no audio file to analyse")
