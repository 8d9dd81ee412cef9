"""A track with no audio vector and no file to analyse now (a missing file, a dataset track
imported without one) is not sent to an ``embed`` that skips it — also where the current
model.pt was written by a newer musicsage: that note said "compute the audio vectors, then
train one this version reads (… embed; then … train)" beside an audio note saying the file
is missing. Where the embed of such a track would not place it either (a newer model.pt, the
library switched to another audio model), the training is named with the rescan. The window
shows no button under such a note (Retrain stood under "press Rescan"). The note reads the
tracks' vectors first and their rows once (``map`` asks of every track it leaves out)."""

from __future__ import annotations

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


def _add_tracks(ctx, template, tmp_path, n: int = 2) -> list[tuple[int, object]]:
    """``n`` new tracks, scanned (not embedded); their (id, file), in id order."""
    from musicsage.library.db import connect
    from musicsage.usecases.library import scan_library

    music, mix = new_music(tmp_path / "new", template[1], n)
    before = {r[0] for r in connect(ctx).execute("SELECT id FROM tracks")}
    scan_library(ctx, [str(music)], [str(mix)])
    ids = sorted({r[0] for r in connect(ctx).execute("SELECT id FROM tracks")} - before)
    files = sorted(music.rglob("*.flac"))
    return list(zip(ids, files))


def _missing(ctx, track) -> None:
    """``track``'s file deleted and rescanned: listed missing, never analysed."""
    from musicsage.usecases.library import scan_library

    track.unlink()
    scan_library(ctx, [str(track.parent)])


def _from_a_dataset(ctx, track_id: int) -> None:
    """``track_id`` as an import from a dataset dir without features.npy stores it."""
    from musicsage.library.db import connect

    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE tracks SET path = ? WHERE id = ?", (f"dataset:/x#t{track_id}",
                                                                track_id))


def _newer(ctx) -> int:
    """The current model.pt rewritten as a newer musicsage's; its model id."""
    import torch

    from musicsage.graph.checkpoint import VERSION
    from musicsage.usecases.training import current_graph_model

    model = current_graph_model(ctx)
    path = model.dir / "model.pt"
    payload = torch.load(path, map_location="cpu", weights_only=True)
    torch.save(dict(payload, version=VERSION + 1), path)
    return model.id


def _newer_start(model_id: int, what: str = "the query track has no") -> str:
    from musicsage.graph.checkpoint import VERSION

    return (f"{what} graph embedding: graph model {model_id} was written by a newer "
            f"musicsage (graph model version {VERSION + 1}; this one reads up to {VERSION}), "
            "so it places no new track here: ")


def _window_says_no_button(note: str) -> bool:
    from musicsage.controllers.selection import search_note
    from musicsage.controllers.wording import no_file_graph_note

    return no_file_graph_note(search_note(note, False))


def test_a_newer_model_and_a_missing_track_say_rescan_embed_and_train(
        trained, template, tmp_path):
    from musicsage.usecases.search import similar_tracks

    (new, track), _other = _add_tracks(trained, template, tmp_path)
    _missing(trained, track)
    model_id = _newer(trained)

    notes = similar_tracks(trained, new).notes
    assert notes["graph"] == _newer_start(model_id) + (
        f"its file is missing: once it is back, a rescan ({RESCAN_HINT}), an embed and a "
        f"training ({TRAIN_HINT}) place it")
    assert EMBED_HINT not in notes["graph"] and "missing" in notes["audio"], notes
    assert _window_says_no_button(notes["graph"])


def test_a_newer_model_and_a_dataset_track_say_it_has_no_file(trained, template, tmp_path):
    from musicsage.usecases.embedding import unplaced_note

    (one, _), (two, _) = _add_tracks(trained, template, tmp_path)
    _from_a_dataset(trained, one)
    _from_a_dataset(trained, two)
    model_id = _newer(trained)

    note = unplaced_note(trained, "no member of the playlist", [one, two])
    assert note == _newer_start(model_id, "no member of the playlist has a") + (
        "they were imported from a dataset dir, with no audio file to analyse")
    assert _window_says_no_button(note)


def test_a_newer_model_still_says_embed_then_train_where_one_can_be_analysed(
        trained, template, tmp_path):
    """Guard: one member with a file to analyse keeps the embed, then the training."""
    from musicsage.usecases.embedding import unplaced_note

    (one, track), (two, _) = _add_tracks(trained, template, tmp_path)
    _missing(trained, track)
    model_id = _newer(trained)

    note = unplaced_note(trained, "no member of the playlist", [one, two])
    assert note == _newer_start(model_id, "no member of the playlist has a") + (
        f"compute the audio vectors, then train one this version reads ({EMBED_HINT}; then "
        f"{TRAIN_HINT})")
    assert not _window_says_no_button(note)


def test_a_library_switched_to_another_audio_model_names_the_training(
        trained, template, tmp_path, monkeypatch):
    """After ``embed --model`` the graph model places no track by the library's new vectors:
    "once it is back, a rescan and an embed place it" was said of a missing track."""
    from musicsage.audio import selection
    from musicsage.usecases.embedding import unplaced_note

    (new, track), _other = _add_tracks(trained, template, tmp_path)
    _missing(trained, track)
    monkeypatch.setattr(selection, "current_model_id", lambda ctx: "musicnn-msd-max_pool")

    assert unplaced_note(trained, "the query track", [new]) == (
        "the query track has no graph embedding yet: its file is missing: once it is back, a "
        f"rescan ({RESCAN_HINT}), an embed and a training ({TRAIN_HINT}) place it")


def test_the_usual_missing_track_keeps_rescan_and_embed(trained, template, tmp_path):
    """Guard: the graph model places it by the vector its embed makes, once it is back."""
    from musicsage.usecases.embedding import unplaced_note

    (new, track), _other = _add_tracks(trained, template, tmp_path)
    _missing(trained, track)

    note = unplaced_note(trained, "the query track", [new])
    assert note == ("the query track has no graph embedding yet: its file is missing: once it "
                    f"is back, a rescan ({RESCAN_HINT}) and an embed place it")
    assert _window_says_no_button(note)


def test_the_rows_are_read_once_and_not_where_a_track_has_a_vector(
        trained, template, tmp_path, monkeypatch):
    """``map`` asks the note of every track it leaves out: 90,000 dataset rows were read
    twice (1.5 s), and read before the vectors that make them needless."""
    from musicsage.library import queries
    from musicsage.usecases.embedding import embed_library, unplaced_note

    (one, _), (two, track) = _add_tracks(trained, template, tmp_path)
    reads = []
    real = queries.track_summaries
    monkeypatch.setattr(queries, "track_summaries",
                        lambda conn, ids: reads.append(list(ids)) or real(conn, ids))

    said = unplaced_note(trained, "no member of the playlist", [one, two])
    assert said.endswith(f"({EMBED_HINT})") and len(reads) == 1, (said, reads)

    embed_library(trained, "spectral", limit=1)  # one of them has its audio vector now
    _from_a_dataset(trained, two)
    reads.clear()
    said = unplaced_note(trained, "no member of the playlist", [one, two])
    assert said.endswith(f"({EMBED_HINT})") and reads == [], (said, reads)
