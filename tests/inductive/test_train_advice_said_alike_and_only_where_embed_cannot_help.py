"""A track added after training, the library then analysed with other settings (``embed
--max-seconds 20``): the saved model places none of its tracks, and ``similar`` says to train.
``radio`` and ``map`` said "embed" of the same track, an ``embed`` that then did nothing; they
say "train" too. The train advice is only given where an ``embed`` cannot help: after a
re-analysis back to the trained settings was cut short, a plain ``embed`` finishes it and the
model places the track (it said "train"); a track whose stored vector is damaged beyond what
an embed mends is told so, as the audio note says (it was told to train, which left it out
again). The usual case (a new track before its embed) reads no track's version at all, and
the train note reads those of its own tracks only (every vector's version was read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage.cli import main
from musicsage.errors import EMBED_HINT, TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks

TRAIN_WORDS = "analysis settings it was trained on"


def _analysed_with_other_settings(ctx, add_music) -> list[int]:
    """New tracks scanned, then every track analysed with other settings than training's."""
    new = add_music(ctx)
    embed_library(ctx, "spectral", max_seconds=20)
    return new


def test_radio_and_map_say_train_as_similar_does(trained, add_music, capsys):
    from musicsage.usecases.radio import radio_tracks

    ctx = trained
    new = _analysed_with_other_settings(ctx, add_music)
    said = similar_tracks(ctx, new[0]).notes["graph"]
    assert TRAIN_WORDS in said and TRAIN_HINT in said, said

    radio = radio_tracks(ctx, new[0], length=3).note
    assert radio == "the radio follows audio neighbours: " + said.replace(
        "the query track", "the seed track"), radio

    capsys.readouterr()
    assert main(["--data-dir", str(ctx.data_dir), "map", "--space", "graph"]) == 0
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if x.startswith("note: graph: "))
    assert f"{len(new)} tracks left out: each has no graph embedding: " in line, err
    assert TRAIN_WORDS in line and line.endswith(" train)") and "embed)" not in line, line


def test_after_a_reanalysis_back_to_the_trained_settings_cut_short_it_says_embed(
        trained, add_music):
    from musicsage.audio.spectral import DEFAULT_MAX_SECONDS

    ctx = trained
    new = _analysed_with_other_settings(ctx, add_music)
    embed_library(ctx, "spectral", max_seconds=DEFAULT_MAX_SECONDS, limit=5)  # cut short

    note = similar_tracks(ctx, new[0]).notes["graph"]

    assert EMBED_HINT in note and TRAIN_WORDS not in note, note
    embed_library(ctx, "spectral")  # what the note says: the track has its list now
    assert similar_tracks(ctx, new[0]).graph


def test_a_damaged_vector_no_embed_mends_is_told_so_not_train(trained, add_music):
    from musicsage.library.db import connect
    from musicsage.usecases.library import scan_library

    ctx = trained
    new = _analysed_with_other_settings(ctx, add_music)
    conn = connect(ctx)
    path = Path(conn.execute("SELECT path FROM tracks WHERE id = ?", (new[0],)).fetchone()[0])
    with conn:
        conn.execute("UPDATE audio_embeddings SET vector = x'000102' WHERE track_id = ?",
                     (new[0],))
    path.unlink()  # missing: no embed can analyse it again
    scan_library(ctx, [str(path.parent)])

    notes = similar_tracks(ctx, new[0]).notes

    assert "damaged" in notes["graph"] and "damaged" in notes["audio"], notes
    assert TRAIN_WORDS not in notes["graph"] and TRAIN_HINT not in notes["graph"], notes


@pytest.mark.parametrize("other_settings", [False, True])
def test_no_version_of_the_whole_library_is_read(trained, add_music, monkeypatch,
                                                 other_settings):
    import musicsage.library.queries as queries
    from musicsage.usecases.graph_unplaced import other_settings_note

    ctx = trained
    new = _analysed_with_other_settings(ctx, add_music) if other_settings else add_music(ctx)

    def every_version(*_a, **_k):
        raise AssertionError("every track's version was read")
    monkeypatch.setattr(queries, "embedding_versions", every_version)
    note = other_settings_note(ctx, "the query track", new[:1])

    assert (note is not None and TRAIN_WORDS in note) if other_settings else note is None
