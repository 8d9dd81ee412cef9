"""A dataset dir's playlists.csv is there to name the playlists (``playlist_id,name``). One
whose names sit in another column (``playlist_id,title``, ``playlist_id,Name``) was taken as
naming none: every playlist was imported under its id, and nothing said why."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.usecases.library import import_dataset


def _dataset(d, playlists_csv: str):
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,One\nt2,Two\n", encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\np1,t1\np1,t2\n",
                                       encoding="utf-8")
    (d / "playlists.csv").write_text(playlists_csv, encoding="utf-8")
    return d


@pytest.mark.parametrize("header, hint", [("playlist_id,title", ""),
                                          ("playlist_id,Name", "rename it name")])
def test_a_playlists_csv_without_its_name_column_is_refused(ctx, tmp_path, header, hint):
    d = _dataset(tmp_path / "ds", f"{header}\np1,Road trip\n")
    with pytest.raises(MusicsageError) as err:
        import_dataset(ctx, d)
    assert (f"{d / 'playlists.csv'}: missing column(s) name (header: playlist_id,name)"
            in str(err.value))
    assert hint in str(err.value)
    assert connect(ctx).execute("SELECT COUNT(*) FROM playlists").fetchone()[0] == 0


def test_a_playlists_csv_with_its_name_column_names_them(ctx, tmp_path):
    d = _dataset(tmp_path / "ds", "playlist_id,name\np1,Road trip\n")
    import_dataset(ctx, d)
    assert [r[0] for r in connect(ctx).execute("SELECT name FROM playlists")] == ["Road trip"]


def test_a_playlists_csv_of_ids_alone_is_still_read_naming_each_by_its_id(ctx, tmp_path):
    """A file of the ``playlist_id`` column alone was read before (no names): refusing it now
    would break dataset dirs that imported fine."""
    d = _dataset(tmp_path / "ds", "playlist_id\np1\n")
    import_dataset(ctx, d)
    assert [r[0] for r in connect(ctx).execute("SELECT name FROM playlists")] == ["p1"]
