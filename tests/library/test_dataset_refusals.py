"""A dataset dir's file that is there but cannot be read — a broken link, a folder, a named
pipe, a link to a device — is refused in one line saying what it is, by ``import`` (before
anything is stored) and by ``train``/``eval --dataset`` alike; ``import`` took such a
``memberships.csv`` or ``features.npy`` for an absent one and exited 0, and both said
"X is missing" of files that were there."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.library.dataset_files import check_training_dataset
from musicsage.library.dataset_read import read_dataset
from musicsage.library.db import connect
from musicsage.library.queries import all_tracks
from musicsage.usecases.library import import_dataset


def _dataset(d: Path) -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,A\nt2,B\nt3,C\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\np,t2\nq,t3\n")
    np.save(d / "features.npy", np.eye(3, 2, dtype=np.float32))
    return d


def _broken_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.parent / "nowhere" / path.name)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


CASES = {
    "memberships.csv broken link": ("memberships.csv", _broken_link, "is a broken link (to "),
    "memberships.csv folder": ("memberships.csv", _folder, "is a folder, not a file"),
    "memberships.csv fifo": ("memberships.csv", _fifo, "is a named pipe (FIFO), not a file"),
    "features.npy broken link": ("features.npy", _broken_link, "is a broken link (to "),
    "features.npy folder": ("features.npy", _folder, "is a folder, not a file"),
    "features.npy /dev/zero": ("features.npy", _dev_zero,
                               "is a link to /dev/zero, a device, not a file"),
    "tracks.csv folder": ("tracks.csv", _folder, "is a folder, not a file"),
    "tracks.csv fifo": ("tracks.csv", _fifo, "is a named pipe (FIFO), not a file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_unreadable_file_is_refused_by_both_readers(tmp_path, case):
    name, spoil, words = CASES[case]
    d = _dataset(tmp_path / "ds")
    spoil(d / name)
    for read in (read_dataset, check_training_dataset):
        with pytest.raises(MusicsageError) as exc:
            read(d)
        message = str(exc.value)
        assert f"is not a dataset dir: {name} {words}" in message, message
        assert "\n" not in message and "missing" not in message


def test_import_stores_nothing_when_memberships_csv_is_a_broken_link(ctx, tmp_path):
    d = _dataset(tmp_path / "ds")
    _broken_link(d / "memberships.csv")
    with pytest.raises(MusicsageError, match="memberships.csv is a broken link"):
        import_dataset(ctx, d)
    assert all_tracks(connect(ctx)) == []


def test_a_broken_features_json_link_is_no_absent_file(tmp_path):
    d = _dataset(tmp_path / "ds")
    (d / "features.json").symlink_to(tmp_path / "gone.json")
    for read in (read_dataset, check_training_dataset):
        with pytest.raises(MusicsageError, match="features.json is a broken link"):
            read(d)


def test_absent_optional_files_still_mean_what_the_docs_say(tmp_path):
    d = _dataset(tmp_path / "ds")
    (d / "memberships.csv").unlink()
    (d / "features.npy").unlink()
    read = read_dataset(d)
    assert read.memberships == [] and read.features is None and len(read.keys) == 3
    with pytest.raises(MusicsageError, match="is not a dataset dir: features.npy is missing"):
        check_training_dataset(d)


@pytest.mark.parametrize("make, words", [
    (lambda p: None, "no such folder"),
    (lambda p: p.write_text("x"), "it is a file, not a folder"),
    (lambda p: p.symlink_to(p.parent / "nowhere"), "it is a broken link (to "),
])
def test_a_dataset_path_that_is_no_folder_says_what_it_is(tmp_path, make, words):
    path = tmp_path / "ds"
    make(path)
    for read in (read_dataset, check_training_dataset):
        with pytest.raises(MusicsageError, match="is not a dataset dir: ") as exc:
            read(path)
        assert words in str(exc.value) and "tracks.csv is missing" not in str(exc.value)


def test_train_and_eval_say_what_the_file_is(tmp_path):
    from musicsage.usecases.training import evaluate_graph_dataset, train_graph_dataset

    d = _dataset(tmp_path / "ds")
    _folder(d / "features.npy")
    with pytest.raises(MusicsageError, match="features.npy is a folder, not a file"):
        evaluate_graph_dataset(str(d), seeds=1, device="cpu")
    with pytest.raises(MusicsageError, match="features.npy is a folder, not a file"):
        train_graph_dataset(str(d), tmp_path / "out", device="cpu")
    assert not (tmp_path / "out").exists()
