"""Importing a dataset dir the library itself exported doubled every playlist (each stored once
under its file, once as ``dataset:<dir>#<id>``), and nothing could undo it. A playlist the
library already has is now recognised and not stored again (an earlier copy goes), genuinely
new ones still import, and ``forget DIR`` removes what an import of DIR stored."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from library_audio import write_audio

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import (export_dataset, forget_folder, import_dataset,
                                        library_stats, list_playlists, playlist_track_ids,
                                        scan_library)


@pytest.fixture
def exported(ctx, tmp_path) -> Path:
    """A library of four tracks (``d`` without a vector, so the export leaves it out, and its
    membership of ``two``) and two playlist files; exported to ``tmp_path/x``."""
    music, lists = tmp_path / "music", tmp_path / "lists"
    for name in "abcd":
        write_audio(music / f"{name}.flac", seconds=0.2, tags={"title": f"T {name}"})
    lists.mkdir()
    (lists / "one.m3u8").write_text("../music/a.flac\n../music/b.flac\n../music/a.flac\n"
                                    "/missing.mp3\n")
    (lists / "two.m3u8").write_text("../music/c.flac\n../music/d.flac\n../music/a.flac\n")
    scan_library(ctx, [music], [lists])
    conn = connect(ctx)
    rng = np.random.default_rng(0)
    for t in q.all_tracks(conn):
        if not t["path"].endswith("d.flac"):
            q.store_embedding(conn, t["id"], "spectral", "spectral-v1", rng.normal(size=8))
    export_dataset(ctx, tmp_path / "x")
    return tmp_path / "x"


def playlists_of(ctx) -> list[tuple[str, list[int]]]:
    return sorted((p.name, playlist_track_ids(ctx, p.id)) for p in list_playlists(ctx))


def test_importing_the_librarys_own_export_stores_no_playlist_twice(ctx, exported, capsys):
    before = playlists_of(ctx)
    rep = import_dataset(ctx, exported)
    assert (rep.tracks, rep.playlists, rep.memberships, rep.known_playlists) == (3, 0, 0, 2)
    assert "2 playlists already in the library (the same name and tracks): not stored " \
           "again" in rep.notes
    assert playlists_of(ctx) == before and library_stats(ctx).playlists.total == 2
    import_dataset(ctx, exported)  # again: the same
    assert playlists_of(ctx) == before
    assert cli.main(["import", str(exported), "--data-dir", str(ctx.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert f"nothing new from {exported}: 3 tracks and 2 playlists already in the library" \
        in out
    assert "note: 2 playlists already in the library" in err


def test_new_playlists_of_a_dataset_dir_still_import(ctx, exported):
    """Another name, another order, an added playlist: each is the dir's own."""
    (exported / "playlists.csv").write_text("playlist_id,name\n1,one\n2,Two\n7,new\n")
    with open(exported / "memberships.csv", "a") as f:
        f.write("7,1\n7,2\n")
    rep = import_dataset(ctx, exported)
    assert (rep.playlists, rep.known_playlists) == (2, 1)
    names = [name for name, _ in playlists_of(ctx)]
    assert names == ["Two", "new", "one", "two"]
    import_dataset(ctx, exported)  # again: updated in place
    assert [name for name, _ in playlists_of(ctx)] == names
    # the same tracks in another order are another playlist too
    (exported / "memberships.csv").write_text("playlist_id,track_id\n1,2\n1,1\n")
    rep = import_dataset(ctx, exported)
    assert (rep.playlists, rep.known_playlists) == (1, 0)


def test_importing_again_removes_the_copies_an_earlier_import_stored(ctx, exported):
    """A library doubled by an earlier import (here: stored under other names, then named
    as in the library) is mended by importing the dir again."""
    names = (exported / "playlists.csv").read_text()
    (exported / "playlists.csv").write_text(names.replace("one", "uno").replace("two", "dos"))
    assert import_dataset(ctx, exported).playlists == 2
    assert library_stats(ctx).playlists.total == 4
    (exported / "playlists.csv").write_text(names)
    rep = import_dataset(ctx, exported)
    assert rep.known_playlists == 2 and library_stats(ctx).playlists.total == 2
    assert rep.notes[0].endswith("; 2 copies stored by an earlier import of this dir were "
                                 "removed")
    assert {p.format for p in list_playlists(ctx)} == {"m3u"}


def test_forget_removes_what_importing_a_dataset_dir_stored_and_no_file(ctx, exported,
                                                                          tmp_path, capsys):
    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "tracks.csv").write_text(f"track_id,path\nt1,\nt2,\nt3,{tmp_path / 'music/a.flac'}\n")
    (ds / "memberships.csv").write_text("playlist_id,track_id\np,t1\np,t3\nr,t2\n")
    np.save(ds / "features.npy", np.ones((3, 4), np.float32))
    import_dataset(ctx, ds)
    stats = library_stats(ctx)
    assert (stats.tracks.total, stats.playlists.total) == (6, 4)
    def files_there() -> dict[Path, bytes]:  # but the library's own
        return {p: p.read_bytes() for p in tmp_path.rglob("*")
                if p.is_file() and ctx.data_dir not in p.parents}

    files = files_there()
    rep = forget_folder(ctx, str(ds) + "/")
    assert (rep.playlists, rep.tracks) == (2, 2)
    assert rep.summary() == (f"removed the dataset dir {ds} from the library: its 2 playlists "
                             "and 2 tracks without an audio file left it (no file was touched; "
                             "tracks of audio files stay)")
    stats = library_stats(ctx)
    assert (stats.tracks.total, stats.playlists.total) == (4, 2)  # a.flac's track stays
    assert files_there() == files and len(files) > 5
    with pytest.raises(MusicsageError, match="is a dataset dir, but the library holds "
                                             "nothing an import of it stored"):
        forget_folder(ctx, str(ds))  # nothing of it left
    import_dataset(ctx, ds)
    data = ["--data-dir", str(ctx.data_dir)]
    assert cli.main(["forget", str(ds), "--json", *data]) == 0
    assert json.loads(capsys.readouterr().out) == {"dataset": str(ds), "playlists": 2,
                                                   "tracks": 2}
    # a dir never imported (the library's own export: nothing stored) is refused as before
    assert cli.main(["forget", str(exported), *data]) == 1
    assert "holds nothing an import of it stored" in capsys.readouterr().err


def test_a_copy_of_an_imported_dir_keeps_playlists_of_its_own(ctx, exported, tmp_path):
    """Playlists another dataset import stored are no playlists of the library's: a copy of
    dir A imported as B stored none of A's (as "already in the library"), and forgetting A
    then left the library with no playlist of B at all (review of session 50)."""
    import shutil

    names = exported / "playlists.csv"
    names.write_text("\n".join(line if i == 0 else line.replace(",", ",new ", 1)
                               for i, line in enumerate(names.read_text().splitlines())) + "\n")
    copy_a, copy_b = tmp_path / "A", tmp_path / "B"
    shutil.copytree(exported, copy_a)
    shutil.copytree(exported, copy_b)
    assert import_dataset(ctx, copy_a).playlists == 2
    rep = import_dataset(ctx, copy_b)
    assert (rep.playlists, rep.known_playlists) == (2, 0)
    forget_folder(ctx, str(copy_a))
    assert sorted(name for name, _ids in playlists_of(ctx)) == ["new one", "new two",
                                                                 "one", "two"]
