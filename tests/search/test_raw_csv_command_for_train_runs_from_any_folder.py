"""`train --dataset spot` (a folder typed relative) printed `--csv spot/spotify_songs.csv`,
which fails from any other folder; `train`/`eval --dataset spotify_songs.csv` (the download
itself) said only "it is a file, not a folder". Both now print the convert command with the
CSV's absolute path, as `import` does."""

from __future__ import annotations

import shlex

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.dataset_files import check_training_dataset


def _command(line: str) -> list[str]:
    return shlex.split(line.split("`")[1])


@pytest.fixture
def download(tmp_path, monkeypatch):
    spot = tmp_path / "spot"
    spot.mkdir()
    (spot / "spotify_songs.csv").write_text("track_id,track_name\n")
    monkeypatch.chdir(tmp_path)
    return spot / "spotify_songs.csv"


def test_a_relative_folder_gives_the_csvs_absolute_path(download):
    with pytest.raises(MusicsageError) as err:
        check_training_dataset("spot")
    words = _command(str(err.value))
    assert words[words.index("--csv") + 1] == str(download)


def test_the_download_itself_gives_the_command_without_imports_words(download):
    with pytest.raises(MusicsageError) as err:
        check_training_dataset("spot/spotify_songs.csv")
    line = str(err.value)
    assert line.startswith("spot/spotify_songs.csv is not a dataset dir: it is a file, not a "
                           "folder; convert spotify_songs.csv into one with `"), line
    words = _command(line)
    assert words[words.index("--csv") + 1] == str(download)
    assert "nothing was imported" not in line
