"""A track whose stored audio vector holds NaN or infinite values and that no ``embed`` can
analyse again — its file is missing or cannot be decoded, or it came from a dataset dir — made
``train`` refuse the library and send the user to ``musicsage embed``, which skips such tracks
or fails on them: the user went round for ever. Training now leaves them out, as it leaves out
tracks without a vector, and says how many; a damaged vector an ``embed`` does mend is still
refused, in the hint the window words as its own; and the trained model counts the left-out
tracks apart — neither seen nor new tracks to place — and ``stats`` and ``similar`` say why."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library, add_playlist, run_cli  # noqa: E402

from musicsage import cli  # noqa: E402
from musicsage.controllers.wording import window_note  # noqa: E402
from musicsage.errors import EMBED_HINT, MusicsageError  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402
from musicsage.library.db import connect  # noqa: E402
from hints_told_support import as_default


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
    known = coverage(ctx)
    assert (known.unseen, known.seen, known.left_out) == (0, 39, 1), "trained on 39, not 40"


def _trained_with_a_dataset_track_left_out(ctx, tmp_path) -> int:
    from musicsage.usecases.training import train_graph

    library = _library(ctx, tmp_path, 40)
    vectors = np.random.default_rng(0).normal(size=(40, 8)).astype(np.float32)
    vectors[7, 3] = np.nan
    library.embed(vectors)
    _from_dataset(library, library.ids[7])
    for p in range(6):
        add_playlist(library.conn, f"/lists/p{p}.m3u", f"p{p}",
                     [t for i, t in enumerate(library.ids) if (i + p) % 3])
    train_graph(ctx, max_steps=3, device="cpu")
    return library.ids[7]


def test_stats_and_similar_name_the_left_out_track_s_damage_not_embed(ctx, tmp_path, capsys):
    """`stats` said "every track seen in training" of a model trained without one, and
    `similar` on that track sent the user to an `embed` that can never place it."""
    left_out = _trained_with_a_dataset_track_left_out(ctx, tmp_path)

    rc, out, _err = run_cli(capsys, ctx, "stats")
    line = next(x for x in out.splitlines() if x.startswith("graph"))
    assert rc == 0 and "every track seen in training" not in line, line
    assert line.endswith(f"; 1 track left out of training: its stored {AUDIO_MODEL} vector is "
                         "damaged and its audio cannot be analysed again"), line

    rc, _out, err = run_cli(capsys, ctx, "similar", str(left_out), "--space", "graph")
    assert rc == 1 and "musicsage embed" not in as_default(err, ctx.data_dir), err
    assert (f"the query track has no graph embedding: its stored {AUDIO_MODEL} vector is "
            "damaged and its audio cannot be analysed again (it was imported from a dataset "
            "dir without audio), so training left it out") in err, err


def _undecodable(library: Library, track_id: int) -> None:
    """Record that an embed failed to decode the track's file, as embed records it."""
    from musicsage.library.queries import get_track, record_error

    record_error(library.conn, get_track(library.conn, track_id)["path"],
                 f"embed:{AUDIO_MODEL}", "not a readable audio file", track_id)


def test_a_present_track_whose_file_cannot_be_decoded_is_left_out(ctx, tmp_path):
    """Its embed failed, so `embed` could not mend it: the refusal sent the user round."""
    library = _library(ctx, tmp_path)
    vectors = np.ones((8, 4), np.float32)
    vectors[4, 0] = np.nan
    library.embed(vectors)
    _undecodable(library, library.ids[4])

    data = GraphData.from_library(library.conn, AUDIO_MODEL)
    assert library.ids[4] not in data.track_ids and data.n_tracks == 7
    assert data.read_notes[0].endswith("cannot be analysed again (1 file cannot be decoded)")

    # the file replaced since (a scan saw it change): an embed may mend it, so it is refused
    library.conn.execute("UPDATE tracks SET updated_at = '9999-01-01' WHERE id = ?",
                         (library.ids[4],))
    with pytest.raises(MusicsageError, match="analyse their audio again"):
        GraphData.from_library(library.conn, AUDIO_MODEL)


def test_train_goes_on_past_a_file_embed_cannot_decode(two_models, capsys):
    ctx, _first, _second = two_models
    data = ["--data-dir", str(ctx.data_dir)]
    conn = connect(ctx)
    tid, path = conn.execute("SELECT id, path FROM tracks ORDER BY id LIMIT 1").fetchone()
    blob = conn.execute("SELECT vector FROM audio_embeddings WHERE track_id = ?",
                        (tid,)).fetchone()[0]
    vector = np.frombuffer(blob, "<f4").copy()
    vector[0] = np.nan
    conn.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                 (vector.tobytes(), tid))
    with open(path, "r+b") as fh:
        fh.write(b"\0" * 64)
    assert cli.main([*data, "embed", "--model", "spectral"]) == 0  # fails on it: recorded
    capsys.readouterr()
    # and its damaged vector goes: kept, every embed re-analysed it and failed again
    assert conn.execute("SELECT COUNT(*) FROM audio_embeddings WHERE track_id = ?",
                        (tid,)).fetchone()[0] == 0
    assert cli.main([*data, "embed", "--model", "spectral"]) == 0
    assert "damaged" not in capsys.readouterr().out
    assert cli.main([*data, "train", "--max-steps", "2"]) == 0
    out = capsys.readouterr().out
    assert "1 track has no audio embedding" in out and "NaN" not in out, out


def test_every_command_names_the_left_out_track_s_damage_in_both_spaces(ctx, tmp_path,
                                                                         capsys):
    """Only `similar`'s graph note said so: its audio note, `radio` and `suggest` still sent
    the user to an `embed` that skips a dataset track, as did the window's words."""
    left_out = _trained_with_a_dataset_track_left_out(ctx, tmp_path)
    add_playlist(connect(ctx), "/lists/only.m3u", "only", [left_out])
    damage = ("vector is damaged and its audio cannot be analysed again (it was imported "
              "from a dataset dir without audio)")

    rc, _out, err = run_cli(capsys, ctx, "similar", str(left_out))
    assert rc == 1 and "musicsage embed" not in as_default(err, ctx.data_dir), err
    assert (f"audio: the query track has no audio embedding: its stored {AUDIO_MODEL} "
            f"{damage}") in err, err
    rc, _out, err = run_cli(capsys, ctx, "radio", str(left_out))
    assert rc == 1 and "musicsage embed" not in as_default(err, ctx.data_dir), err
    assert damage in err, err
    rc, out, err = run_cli(capsys, ctx, "suggest", "only")
    assert "musicsage embed" not in as_default(out + err, ctx.data_dir), out + err
    assert (out + err).count(damage) == 2, out + err

    from musicsage.usecases.search import similar_tracks

    notes = similar_tracks(ctx, left_out).notes
    assert all(damage in window_note(notes[space]) for space in ("graph", "audio")), notes
    assert not any("Compute embeddings" in window_note(n) for n in notes.values()), notes
