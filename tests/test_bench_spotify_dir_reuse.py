"""``bench/datasets.py --out DIR`` reused any folder holding a memberships.csv as its
spotify_songs conversion: pointed at a user's own dataset dir (or Cora's), it printed DIR and
exited 0 as if it had converted, and the benchmarks then ran on the wrong data. Only its own
conversion (or its default folder) is reused now; anything else is refused in one line and
left as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

HEADER = ("track_id,track_name,track_artist,track_album_id,playlist_name,playlist_id,"
          "danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,"
          "liveness,valence,tempo,duration_ms")


@pytest.fixture()
def songs(tmp_path, monkeypatch):
    """A tiny spotify_songs.csv where the converter looks by default."""
    import datasets

    csv = tmp_path / "spotify_songs.csv"
    csv.write_text(HEADER + "\n" + "".join(
        f"t{t},song {t},artist,al{t},list,p0," + ",".join(["0.5"] * 12) + "\n" for t in range(4)))
    monkeypatch.setattr(datasets, "SPOTIFY_CSV", csv)
    return csv


def test_another_dataset_dir_is_not_taken_for_the_conversion(tmp_path, songs, capsys):
    import datasets

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "tracks.csv").write_text("track_id\n1\n")
    (mine / "memberships.csv").write_text("playlist_id,track_id\nmix,1\n")
    with pytest.raises(SystemExit) as exc:
        datasets.main(["--out", str(mine)])
    assert str(exc.value) == (f"{mine} holds another dataset dir (or other files); "
                              "give an empty folder")
    assert capsys.readouterr().out == ""
    assert sorted(p.name for p in mine.iterdir()) == ["memberships.csv", "tracks.csv"]
    assert (mine / "memberships.csv").read_text() == "playlist_id,track_id\nmix,1\n"


def test_its_own_conversion_is_reused(tmp_path, songs, capsys):
    import datasets

    out = tmp_path / "out"
    datasets.main(["--out", str(out)])
    assert (out / "memberships.csv").read_text().splitlines()[1:] == [
        f"p0,t{t}" for t in range(4)]
    stamp = (out / "tracks.csv").stat().st_mtime_ns
    datasets.main(["--out", str(out)])
    assert capsys.readouterr().out == f"{out}\n{out}\n"
    assert (out / "tracks.csv").stat().st_mtime_ns == stamp  # not converted again
