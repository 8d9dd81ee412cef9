"""The refusal of a data set's own CSV names a command that runs as printed, from any folder,
and finds the download however it is given.

The command read `python bench/datasets.py --csv My Downloads/spotify_songs.csv …`: a bare
``python`` (no pandas, or no such command), a script found only from the clone's root, and a
path with a space split in two. The file itself, a browser's numbered copy and a
``Tracks.csv`` got no word of the way on, and ``train``/``eval --dataset`` none at all."""

from __future__ import annotations

import shlex
import sys

import pytest
from search_helpers import run_cli

from musicsage.library import raw_csv


def _command(err: str) -> list[str]:
    """The words of the command between the refusal's backquotes."""
    return shlex.split(err.split("`")[1])


@pytest.fixture
def download(tmp_path):
    folder = tmp_path / "My Downloads" / "spot"
    folder.mkdir(parents=True)
    (folder / "spotify_songs.csv").write_text("track_id,track_name\n1,a\n")
    return folder


def test_the_command_names_this_python_and_the_script_by_absolute_paths(capsys, ctx,
                                                                        download):
    rc, _, err = run_cli(capsys, ctx, "import", str(download))
    assert rc == 1
    csv = download / "spotify_songs.csv"
    assert _command(err) == [sys.executable, str(raw_csv.SCRIPT), "--csv", str(csv),
                             "--out", "NEW_DIR"]
    assert raw_csv.SCRIPT.is_file() and raw_csv.SCRIPT.is_absolute()
    assert err.rstrip().endswith("and give NEW_DIR instead")


def test_without_the_source_the_script_is_named_in_words(capsys, ctx, download, monkeypatch,
                                                         tmp_path):
    monkeypatch.setattr(raw_csv, "SCRIPT", tmp_path / "none" / "datasets.py")
    rc, _, err = run_cli(capsys, ctx, "import", str(download))
    assert rc == 1
    assert "(bench/datasets.py from musicsage's source)" in err
    assert str(tmp_path / "none") not in err


def test_the_download_itself_is_refused_with_the_command(capsys, ctx, download, monkeypatch):
    monkeypatch.chdir(download.parent)
    rc, _, err = run_cli(capsys, ctx, "import", "spot/spotify_songs.csv")
    assert rc == 1
    assert err.startswith("musicsage import: spot/spotify_songs.csv is not a dataset dir: it "
                          "is a file, not a folder; convert spotify_songs.csv into one with `")
    assert _command(err)[3] == str(download / "spotify_songs.csv")  # absolute, as it runs
    assert err.rstrip().endswith("(nothing was imported)")


def test_a_browsers_numbered_copy_is_the_download(capsys, ctx, tmp_path):
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / "spotify_songs (1).csv").write_text("track_id\n1\n")
    rc, _, err = run_cli(capsys, ctx, "import", str(folder))
    assert rc == 1
    assert _command(err)[3] == str(folder / "spotify_songs (1).csv")


def test_a_tracks_csv_named_in_other_case_is_to_be_renamed(capsys, ctx, tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "Tracks.csv").write_text("track_id\n1\n")
    if (folder / "tracks.csv").exists():
        pytest.skip("a file system that ignores case reads Tracks.csv as tracks.csv")
    rc, _, err = run_cli(capsys, ctx, "import", str(folder))
    assert rc == 1
    assert err == (f"musicsage import: {folder} is not a dataset dir (no tracks.csv): rename "
                   "Tracks.csv to tracks.csv\n")


@pytest.mark.parametrize("command", [["train", "--out", "OUT"], ["eval"]])
def test_train_and_eval_on_the_download_give_the_command_too(capsys, ctx, download, tmp_path,
                                                             command):
    args = [a if a != "OUT" else str(tmp_path / "out") for a in command]
    rc, _, err = run_cli(capsys, ctx, *args[:1], "--dataset", str(download), *args[1:])
    assert rc == 1
    assert f"{download} is not a dataset dir (no tracks.csv): convert spotify_songs.csv" in err
    assert _command(err)[:2] == [sys.executable, str(raw_csv.SCRIPT)]
