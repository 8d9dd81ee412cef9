"""Named playlists without members vanished without a word: on import (playlists.csv names
them, memberships.csv gives them no track) and on export (a library's empty playlist, which
memberships.csv cannot hold). Each now gets one note line counting and naming them."""

from __future__ import annotations

from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset


def test_import_names_the_playlists_without_members(ctx, tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt0,A\nt1,B\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np0,t0\np0,t1\n")
    (d / "playlists.csv").write_text("playlist_id,name\np0,Road trip\nempty1,My empty list\n"
                                     "ghost,Never used\n")
    rep = import_dataset(ctx, d)
    assert rep.playlists == 1
    assert ("2 playlists have no members and were not imported: 'empty1', 'ghost'"
            in rep.notes)


def test_export_names_the_library_playlists_it_leaves_out(ctx, tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt0,A\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np0,t0\n")
    import_dataset(ctx, d)
    conn = connect(ctx)
    conn.execute("INSERT INTO playlists(id, path, name, format) VALUES (50, '/m/e.m3u',"
                 " 'Empty one', 'm3u')")
    conn.commit()
    rep = export_dataset(ctx, tmp_path / "out")
    assert rep.playlists == 1
    assert ("1 playlist has no exported tracks and was not exported: 'Empty one'"
            in rep.notes)
