"""A track whose stored audio vector holds NaN or infinite values and that no ``embed`` can
analyse again — its file is missing, or it came from a dataset dir — made ``train`` refuse the
library and send the user to ``musicsage embed``, which skips such tracks: the user went round
for ever. Training now leaves them out, as it leaves out tracks without a vector, and says how
many; a damaged vector an ``embed`` does mend is still refused, in the hint the window words
as its own; and the trained model counts the left-out tracks as no new tracks to place."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library, add_playlist  # noqa: E402

from musicsage.controllers.wording import window_note  # noqa: E402
from musicsage.errors import EMBED_HINT, MusicsageError  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402


def _library(ctx, tmp_path, n: int = 8) -> Library:
    library = Library(ctx, tmp_path / "music")
    library.add(n)
    return library


def _from_dataset(library: Library, track_id: int) -> None:
    """Make the track one imported from a dataset dir: a synthetic path, no audio file."""
    library.conn.execute("UPDATE tracks SET path = ? WHERE id = ?",
                         (f"dataset:/data/ds#t{track_id}", track_id))


def test_damaged_vectors_of_missing_and_dataset_tracks_are_left_out_with_a_note(ctx, tmp_path):
    library = _library(ctx, tmp_path)
    vectors = np.ones((8, 4), np.float32)
    vectors[2, 1], vectors[5, 0] = np.nan, np.inf
    library.embed(vectors)
    library.set_missing(library.ids[2])
    _from_dataset(library, library.ids[5])

    data = GraphData.from_library(library.conn, AUDIO_MODEL)
    assert library.ids[2] not in data.track_ids and library.ids[5] not in data.track_ids
    assert data.n_tracks == 6
    assert data.read_notes == (
        f"left out 2 tracks whose '{AUDIO_MODEL}' vectors hold NaN or infinite values and "
        "whose audio cannot be analysed again (1 file missing, 1 imported from a dataset dir "
        "without audio)",)


def test_a_damaged_vector_an_embed_mends_is_refused_in_the_window_s_words(ctx, tmp_path):
    library = _library(ctx, tmp_path)
    vectors = np.ones((8, 4), np.float32)
    vectors[1, 0], vectors[3, 2] = np.nan, np.nan
    library.embed(vectors)
    library.set_missing(library.ids[1])  # left out; track 3 is present: embed redoes it

    with pytest.raises(MusicsageError) as refused:
        GraphData.from_library(library.conn, AUDIO_MODEL)
    line = str(refused.value)
    assert line.startswith(f"1 track has '{AUDIO_MODEL}' vectors with NaN or infinite values "
                           "('Song 003',")
    assert EMBED_HINT in line
    assert "use Analyse ▸ Compute embeddings" in window_note(line)
    assert "musicsage embed" not in window_note(line)


def test_nothing_left_when_every_vector_is_damaged_beyond_mending(ctx, tmp_path):
    library = _library(ctx, tmp_path, 3)
    library.embed(np.full((3, 4), np.nan, np.float32))
    for track_id in library.ids:
        library.set_missing(track_id)
    with pytest.raises(MusicsageError, match=r"^every track's .* \(3 files missing\): "
                                             "nothing is left to train on$"):
        GraphData.from_library(library.conn, AUDIO_MODEL)


def test_training_goes_on_and_its_model_has_no_new_track_to_place(ctx, tmp_path):
    from musicsage.usecases.graph_vectors import coverage
    from musicsage.usecases.inductive import embed_new_tracks
    from musicsage.usecases.training import train_graph

    library = _library(ctx, tmp_path, 40)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    vectors[7, 3] = np.nan
    library.embed(vectors)
    library.set_missing(library.ids[7])
    for p in range(6):
        add_playlist(library.conn, f"/lists/p{p}.m3u", f"p{p}",
                     [t for i, t in enumerate(library.ids) if (i + p) % 3])

    report = train_graph(ctx, max_steps=3, device="cpu")
    assert any(note.startswith("left out 1 track whose") for note in report.notes)
    again = embed_new_tracks(ctx, device="cpu")
    assert (again.unseen, again.note) == (0, ""), "no 'cannot be used' note, nothing unseen"
    assert coverage(ctx).unseen == 0
