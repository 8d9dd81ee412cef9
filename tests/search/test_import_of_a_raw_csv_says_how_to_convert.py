"""``import DIR`` of a folder holding a data set's own CSV says how to make a dataset dir.

The spotify_songs download in a folder of its own was refused as "not a dataset dir (no
tracks.csv)", and nothing said that ``bench/datasets.py`` converts it into one."""

from __future__ import annotations

import shlex
import sys

from search_helpers import run_cli

from musicsage.library.raw_csv import SCRIPT


def test_the_spotify_download_is_refused_with_the_command_that_converts_it(capsys, ctx,
                                                                           tmp_path):
    raw = tmp_path / "download"
    raw.mkdir()
    (raw / "spotify_songs.csv").write_text("track_id,track_name\n1,a\n")
    rc, out, err = run_cli(capsys, ctx, "import", str(raw))
    assert rc == 1 and out == ""
    assert err == (f"musicsage import: {raw} is not a dataset dir (no tracks.csv): convert "
                   f"spotify_songs.csv into one with `{shlex.quote(sys.executable)} "
                   f"{shlex.quote(str(SCRIPT))} --csv {shlex.quote(str(raw / 'spotify_songs.csv'))}"
                   " --out NEW_DIR`, and give NEW_DIR instead\n")


def test_another_csv_is_refused_naming_the_format(capsys, ctx, tmp_path):
    raw = tmp_path / "download"
    raw.mkdir()
    (raw / "songs.csv").write_text("id,name\n1,a\n")
    rc, _, err = run_cli(capsys, ctx, "import", str(raw))
    assert rc == 1
    assert err == (f"musicsage import: {raw} is not a dataset dir (no tracks.csv): songs.csv is "
                   "no dataset dir's file; write a tracks.csv as docs/dataset-dir.md says "
                   "(bench/datasets.py converts spotify_songs.csv)\n")


def test_a_folder_without_any_csv_is_refused_as_before(capsys, ctx, tmp_path):
    raw = tmp_path / "empty"
    raw.mkdir()
    rc, _, err = run_cli(capsys, ctx, "import", str(raw))
    assert rc == 1
    assert err == f"musicsage import: {raw} is not a dataset dir (no tracks.csv)\n"


def test_a_dataset_dir_that_lost_its_tracks_csv_is_sent_to_no_conversion(capsys, ctx,
                                                                         tmp_path):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\n")
    rc, _, err = run_cli(capsys, ctx, "import", str(d))
    assert rc == 1
    assert err == f"musicsage import: {d} is not a dataset dir (no tracks.csv)\n"
