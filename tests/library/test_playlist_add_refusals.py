"""`suggest --add` to a playlist musicsage never writes — a player's library file (Rhythmbox)
or a playlist imported from a dataset dir — said only "playlist 'X' has no file to write
to", while `--remove` gave the whole reason; docs/cli.md promises the same one line for both.
Both now say where the playlist is kept and what to do instead, touching nothing."""

from __future__ import annotations

import numpy as np
import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.usecases.library import import_dataset, scan_library


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _refusal(ctx, capsys, *args: str) -> str:
    rc = cli.main(["suggest", *args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "", (rc, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_adding_to_a_players_playlist_gives_the_reason_removing_gives(lib, tmp_path, capsys):
    from player_files import write_rhythmbox

    ctx, music, lists, ids = lib
    source = write_rhythmbox(tmp_path / "playlists.xml", [("Road trip", [music / "A/One.wav"])])
    before = source.read_bytes()
    scan_library(ctx, [], [str(source)])
    two = str(ids["A/Two.wav"])
    added = _refusal(ctx, capsys, "Road trip", "--add", two)
    removed = _refusal(ctx, capsys, "Road trip", "--remove", str(ids["A/One.wav"]))
    for line, verb in ((added, "add"), (removed, "remove")):
        assert ("is kept in a player's library file (Rhythmbox playlists " in line
                and f"which musicsage never writes; {verb} the track in that player" in line), line
    assert source.read_bytes() == before


def test_adding_to_a_dataset_playlist_says_where_its_tracks_come_from(lib, tmp_path, capsys):
    ctx, music, lists, ids = lib
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,A\nt2,B\n", encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\npl,t1\n", encoding="utf-8")
    (d / "playlists.csv").write_text("playlist_id,name\npl,Set list\n", encoding="utf-8")
    np.save(d / "features.npy", np.eye(2, 2, dtype=np.float32))
    import_dataset(ctx, d)
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    added = _refusal(ctx, capsys, "Set list", "--add", str(ids["A/Two.wav"]))
    assert added == ("musicsage suggest: playlist 'Set list' came from a dataset dir and has no "
                     "file of its own: add the track to that dir's memberships.csv and import "
                     "it again"), added
    removed = _refusal(ctx, capsys, "Set list", "--remove", "A")
    assert "remove the track from that dir's memberships.csv and import it again" in removed
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before
