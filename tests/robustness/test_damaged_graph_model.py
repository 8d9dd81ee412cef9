"""Issue 16 item 4: a damaged graph model must not take the audio results down with it.

The current graph model's ``embeddings.npy`` (or ``track_ids.npy``) cut short, overwritten
with garbage, replaced by a pickle, of the wrong shape or dtype, deleted, or holding NaN/inf:
``similar`` (both spaces) still exits 0 with the full audio list, an empty graph list and a
note that the graph model is unusable and that retraining rebuilds it; ``map`` draws the audio
map; ``map --space graph`` fails in one line. Non-finite vectors are refused, never ranked.
The database (audio vectors included) is left as it was, and retraining brings the graph
list back.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from robust_support import (StringCapture, assert_clean_success, assert_one_line_failure, cli,
                            cli_in_process, db_snapshot, lines, trained_dataset_library)

from musicsage.context import AppContext
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.spaces import SearchSpaces
from musicsage.context import library_option


def _truncate(path: Path, _emb: np.ndarray) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _save(array) -> callable:
    return lambda path, emb: np.save(path, array(emb))


def _with(value: float) -> callable:
    def damage(path: Path, emb: np.ndarray) -> None:
        bad = emb.copy()
        bad[3, 1] = value
        np.save(path, bad)

    return damage


def _pickle(path: Path, emb: np.ndarray) -> None:
    with open(path, "wb") as fh:  # a pickle where vectors were: must never be unpickled
        np.save(fh, np.array([{"x": 1}] * len(emb), dtype=object), allow_pickle=True)


DAMAGE = {
    "truncated": (_truncate, "truncated"),
    "garbage": (lambda path, _e: path.write_bytes(os.urandom(4096)), "not a numpy array"),
    "empty": (lambda path, _e: path.write_bytes(b""), "empty"),
    "pickle": (_pickle, "Python objects"),
    "flat": (_save(lambda e: e.reshape(-1)), "not 2-D"),
    "three_d": (_save(lambda e: e[:, :, None]), "not 2-D"),
    "fewer_rows": (_save(lambda e: e[: len(e) // 2]), "vectors for"),
    "strings": (_save(lambda e: np.full(e.shape, "x")), "not floating-point"),
    "integers": (_save(lambda e: (e * 100).astype(np.int32)), "not floating-point"),
    "complex": (_save(lambda e: e.astype(np.complex64)), "not floating-point"),
    "deleted": (lambda path, _e: path.unlink(), "missing"),
    "nan": (_with(np.nan), "NaN or infinite"),
    "inf": (_with(np.inf), "NaN or infinite"),
    "all_nan": (_save(lambda e: np.full_like(e, np.nan)), "NaN or infinite"),
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A library imported from a generated dataset dir, trained briefly, its maps computed;
    each test damages a copy. Built in this process (no child's imports to pay)."""
    with StringCapture() as capture:
        data = trained_dataset_library(tmp_path_factory.mktemp("damaged"), n_tracks=120,
                                       n_playlists=16, steps=15, capture=capture)
        assert_clean_success(cli_in_process(capture, "map", "--space", "audio", data_dir=data))
    return data


def copy_of(trained: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(trained, data)
    return data


def model_dir(data: Path) -> Path:
    (found,) = (data / "graph_models").iterdir()
    return found


def ranked(rows: list[dict]) -> list[tuple[int, float]]:
    """A list as (track, score), without ``in_both`` (which the other list changes)."""
    return [(r["track_id"], r["score"]) for r in rows]


def neighbours(data: Path, space: str = "both") -> dict:
    ctx = AppContext.create(data)
    return similar_tracks(ctx, 1, k=8, space=space, spaces=SearchSpaces(ctx)).to_dict()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_embeddings_leave_the_audio_list_and_say_what_to_do(trained, tmp_path, kind):
    data = copy_of(trained, tmp_path)
    before = neighbours(data)
    assert len(before["graph"]) == 8 and len(before["audio"]) == 8
    db = db_snapshot(data / "library.sqlite3")

    damage, reason = DAMAGE[kind]
    path = model_dir(data) / "embeddings.npy"
    damage(path, np.load(path))
    after = neighbours(data)
    assert ranked(after["audio"]) == ranked(before["audio"])  # the full audio list
    assert after["graph"] == []
    note = after["notes"]["graph"]
    assert "unusable" in note and reason in note and "musicsage train" in note, note
    assert db_snapshot(data / "library.sqlite3") == db


def test_damaged_track_ids_are_refused_too(trained, tmp_path):
    data = copy_of(trained, tmp_path)
    audio = neighbours(data)["audio"]
    (model_dir(data) / "track_ids.npy").write_bytes(pickle.dumps(list(range(120))))
    after = neighbours(data)
    assert ranked(after["audio"]) == ranked(audio) and after["graph"] == []
    assert "track_ids.npy" in after["notes"]["graph"]


def test_the_command_line_on_a_damaged_model_then_retrain(trained, tmp_path, capfd):
    """``similar`` on the damaged model runs in a child process (the real command's exit code
    and output); the other commands run the CLI's main in this process (cli_in_process)."""
    data = copy_of(trained, tmp_path)

    def run(*args: str):
        return cli_in_process(capfd, *args, data_dir=data)

    before = json.loads(run("similar", "1", "-k", "8", "--json").stdout)
    db = db_snapshot(data / "library.sqlite3")
    _with(np.nan)(model_dir(data) / "embeddings.npy",
                  np.load(model_dir(data) / "embeddings.npy"))

    proc = cli("similar", "1", "-k", "8", "--json", data_dir=data)
    assert_clean_success(proc)
    out = json.loads(proc.stdout)
    assert ranked(out["audio"]) == ranked(before["audio"]) and out["graph"] == []
    assert "unusable" in out["graph_note"]
    assert f"musicsage {library_option(data)}train" in out["graph_note"]
    assert all(r["score"] != 0.0 for r in out["audio"])

    text = run("similar", "1", "-k", "8")
    assert_clean_success(text)
    assert [t for t in lines(text.stderr) if "unusable" in t], text.stderr  # a note: stderr

    both = run("map")
    assert_clean_success(both)
    assert any(line.startswith("audio (") for line in lines(both.stdout)), both.stdout
    assert "unusable" in both.stderr and "Traceback" not in both.stderr
    maps = json.loads(run("map", "--json").stdout)
    assert maps["audio"]["tracks"] == 120 and "unusable" in maps["graph"]["note"]

    graph_only = run("map", "--space", "graph")
    assert_one_line_failure(graph_only, "map", "unusable", "NaN", "retrain")
    assert db_snapshot(data / "library.sqlite3") == db  # nothing written by any of these

    assert_clean_success(run("train", "--max-steps", "15"))
    again = json.loads(run("similar", "1", "-k", "8", "--json").stdout)
    assert len(again["graph"]) == 8 and "graph_note" not in again
    assert ranked(again["audio"]) == ranked(before["audio"])
