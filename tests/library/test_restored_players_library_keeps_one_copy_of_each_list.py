"""A player's library file restored with the music to another folder (Rhythmbox's
``playlists.xml`` copied beside it, the old folder moved away): its lists were stored twice,
the old ones kept under the gone file's path, as a playlist file's were. The restored file's
list with the name and entries of one whose player's file is gone takes its place and id."""

from __future__ import annotations

import shutil

from music_support import make_music
from player_files import write_rhythmbox

from musicsage import cli
from musicsage.context import AppContext
from musicsage.usecases.library import list_playlists, scan_library


def test_a_restored_players_list_takes_the_old_ones_place(tmp_path, capsys):
    music, _lists, paths = make_music(tmp_path / "lib", n_tracks=6, seconds=0.5)
    (tmp_path / "lib" / "rb").mkdir()
    rb = write_rhythmbox(tmp_path / "lib" / "rb" / "playlists.xml",
                         [("Road", [paths[3], paths[1], paths[3]])])
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [music], [rb])
    before = [(p.id, p.name) for p in list_playlists(ctx)]
    shutil.copytree(tmp_path / "lib", tmp_path / "new" / "lib", copy_function=shutil.copy2)
    (tmp_path / "lib").rename(tmp_path / "lib.away")
    scan_library(ctx, [tmp_path / "new" / "lib" / "music"])
    assert cli.main(["scan", "--playlists", str(tmp_path / "new" / "lib" / "rb"),
                     "--data-dir", str(ctx.data_dir)]) == 0
    assert (f"note: 1 playlist whose file was gone from {tmp_path / 'lib' / 'rb'} was found "
            f"at {tmp_path / 'new' / 'lib' / 'rb'}: its file now stands for it"
            ) in capsys.readouterr().out
    after = list_playlists(ctx)
    assert [(p.id, p.name) for p in after] == before == [(before[0][0], "Road")]
    assert str(tmp_path / "new") in after[0].path
