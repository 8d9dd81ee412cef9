"""``suggest PLAYLIST --remove TRACK… --json`` gives the sha256 of the file as it wrote it,
as ``--add --json`` does (``null`` when nothing was written): a script that removed tracks
could not tell the file it wrote from one another program changed afterwards."""

from __future__ import annotations

import hashlib
import json

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.usecases.library import scan_library


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _remove_json(capsys, ctx, *tracks: str) -> dict:
    rc = cli.main(["suggest", "mix", "--remove", *tracks, "--json",
                   "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    return json.loads(out)


def test_remove_json_gives_the_written_files_sha256(lib, capsys):
    ctx, _music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n../music/C/Five.wav\n", encoding="utf-8")
    scan_library(ctx, [], [str(path)])

    data = _remove_json(capsys, ctx, "One")

    assert data["removed"] == [{"track_id": ids["A/One.wav"], "entries": 1}]
    assert data["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.read_text(encoding="utf-8") == "#EXTM3U\n../music/C/Five.wav\n"


def test_remove_json_sha256_is_null_when_nothing_was_written(lib, capsys):
    ctx, _music, lists, _ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/C/Five.wav\n", encoding="utf-8")
    scan_library(ctx, [], [str(path)])

    data = _remove_json(capsys, ctx, "One")

    assert data["removed"] == [] and data["backup"] is None
    assert "sha256" in data and data["sha256"] is None
