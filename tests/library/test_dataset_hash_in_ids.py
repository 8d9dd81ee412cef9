"""A '#' in a playlist id made its ``dataset:<dir>#<id>`` key read as another dir's: the
playlist ``mix#1`` of ``d/hp`` was listed as from ``d/hp#mix``, and ``forget d/hp#mix`` (no
such dir) said it removed it. The stored keys are unchanged; the dir is now told by the dirs
the library knows (forget) and the folders that hold a tracks.csv (listing)."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.search.playlist_query import origin
from musicsage.usecases.library import forget_folder, import_dataset


@pytest.fixture
def hp(tmp_path):
    d = tmp_path / "d" / "hp"
    d.mkdir(parents=True)
    (d / "tracks.csv").write_text("track_id,title\nt0,A\nt1,B\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\nmix#1,t0\nmix#1,t1\np1,t0\n")
    return d


def test_a_playlist_id_with_a_hash_is_listed_as_from_its_own_dir(ctx, hp):
    import_dataset(ctx, hp)
    paths = {p["name"]: p["path"] for p in q.playlist_rows(connect(ctx))}
    assert origin(paths["mix#1"])[1] == str(hp)
    assert P.dataset_source(P.dataset_key_prefix(str(hp))) == str(hp)


def test_forget_of_a_dir_never_imported_removes_nothing(ctx, hp):
    import_dataset(ctx, hp)
    with pytest.raises(MusicsageError):
        forget_folder(ctx, f"{hp}#mix")
    assert len(q.playlist_rows(connect(ctx))) == 2
    forget_folder(ctx, str(hp))
    assert q.playlist_rows(connect(ctx)) == []
