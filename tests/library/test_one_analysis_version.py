"""Vectors of one audio model made two ways (other analysis settings, another version of the
model: ``model_version``) are not comparable. A re-analysis under way, or cut short, leaves a
library holding both; the audio list then ranked old against new vectors as if they were
alike. A search, a map and a training read one version — the one most present tracks have —
and a search says in one line how many tracks it left out until ``embed`` redoes them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from library_audio import write_audio
from version_support import FREQS, run, two_versions

from musicsage.library import queries as q
from musicsage.library.db import connect


def versions(ctx) -> dict[int, str]:
    return q.embedding_versions(connect(ctx), "spectral")


def test_the_majority_version_is_read_and_ties_go_to_the_newest(conn):
    for track_id in (1, 2, 4):
        conn.execute("INSERT INTO tracks(id, path) VALUES (?, ?)", (track_id, f"/m/{track_id}"))
    q.store_embedding(conn, 1, "spectral", "old", [1.0, 0.0])
    q.store_embedding(conn, 2, "spectral", "old", [0.0, 1.0])
    q.store_embedding(conn, 4, "spectral", "new", [1.0, 1.0])
    assert q.get_embeddings(conn, "spectral")[0].tolist() == [1, 2]
    assert sum(q.other_version_tracks(conn, "spectral").values()) == 1
    assert q.get_embeddings(conn, "spectral", model_version="new")[0].tolist() == [4]
    conn.execute("UPDATE audio_embeddings SET created_at = '2000-01-01' WHERE track_id = 1")
    q.store_embedding(conn, 2, "spectral", "new", [0.0, 1.0])  # 1 old, 2 new
    assert q.get_embeddings(conn, "spectral")[0].tolist() == [2, 4]
    conn.execute("UPDATE tracks SET status = 'missing' WHERE id IN (2, 4)")
    assert q.shown_version(conn, "spectral") == "old", "present tracks decide"


def test_a_search_never_mixes_versions_and_says_what_it_left_out(ctx, tmp_path, capsys):
    old, _new = two_versions(ctx, tmp_path / "music")
    capsys.readouterr()

    run(ctx, "similar", min(old), "--space", "audio", "--json")

    result = json.loads(capsys.readouterr().out)
    assert {row["track_id"] for row in result["audio"]} == old - {min(old)}
    assert result["audio_note"].startswith("2 tracks left out: their spectral vectors were")
    from musicsage.graph.data import GraphData

    assert set(GraphData.from_library(connect(ctx), "spectral").track_ids.tolist()) == old

    run(ctx, "embed")  # the library's settings now: every track analysed the same way
    capsys.readouterr()
    run(ctx, "similar", min(old), "--space", "audio", "--json")
    result = json.loads(capsys.readouterr().out)
    assert len(set(versions(ctx).values())) == 1 and "audio_note" not in result
    assert len(result["audio"]) == len(FREQS) - 1


def test_an_export_names_one_version(ctx, tmp_path):
    music = tmp_path / "music"
    for i, freq in enumerate(FREQS[:3]):
        write_audio(music / f"t{i}.wav", seconds=1.0, freq=freq)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral")
    run(ctx, "embed", "--max-seconds", "0.5", "--limit", "1")
    run(ctx, "export", tmp_path / "out")
    meta = json.loads((tmp_path / "out" / "features.json").read_text())
    assert meta["model_version"] == q.shown_version(connect(ctx), "spectral")
    assert np.load(tmp_path / "out" / "features.npy").shape[0] == 2
    assert len(Path(tmp_path / "out" / "tracks.csv").read_text().splitlines()) == 3
