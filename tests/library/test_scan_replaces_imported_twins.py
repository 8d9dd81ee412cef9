"""A library exported, the export imported into a new library (its playlists stored as
``dataset:<dir>#<id>``), the music folder scanned there and its playlist files imported, as the
scan's hint says: every playlist was in the library twice, each membership counted twice in
training, and a held-out one's twin in the other copy leaked it into the evaluation. The file's
playlist now takes the place of the import's copy (its id too), the scan says so, ``forget``
of the dir leaves it alone and importing the dir again stores nothing new."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_import_own_export import exported  # noqa: F401 (the fixture)

from musicsage import cli
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library.playlists import store
from musicsage.usecases.library import (forget_folder, import_dataset, list_playlists,
                                        playlist_track_ids, scan_library)


@pytest.fixture
def imported(exported, tmp_path) -> tuple[AppContext, Path]:
    """``exported`` (test_import_own_export.py: four tracks, ``d`` without a vector, and two
    playlist files in ``tmp_path/lists``, exported to ``x``) imported into a new library whose
    music folder is scanned: (that library, the export)."""
    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, exported)
    scan_library(fresh, [tmp_path / "music"])
    return fresh, exported


def playlists_of(ctx) -> list[tuple[int, str, str, list[int]]]:
    """(id, name, kind of path, tracks) of every playlist, by id."""
    return sorted((p.id, p.name, "dataset" if p.path.startswith("dataset:") else "file",
                   playlist_track_ids(ctx, p.id)) for p in list_playlists(ctx))


def test_a_playlist_file_takes_the_place_of_the_imports_copy(imported, tmp_path, capsys):
    fresh, x = imported
    before = playlists_of(fresh)
    assert [(n, kind) for _, n, kind, _ in before] == [("one", "dataset"), ("two", "dataset")]
    assert cli.main(["scan", "--playlists", str(tmp_path / "lists"),
                     "--data-dir", str(fresh.data_dir)]) == 0
    out = capsys.readouterr().out
    assert (f"note: 2 playlists were already in the library as imported from {x}: their "
            "files now stand for them") in out
    after = playlists_of(fresh)
    assert [(i, n, kind) for i, n, kind, _ in after] == [(i, n, "file")
                                                         for i, n, _, _ in before]
    assert [len(p[3]) for p in before] == [2, 2] and [len(p[3]) for p in after] == [3, 3]
    # nothing of the dir is left to forget; importing it again stores nothing
    with pytest.raises(MusicsageError, match="its playlists now stand as their files"):
        forget_folder(fresh, str(x))
    assert playlists_of(fresh) == after
    rep = import_dataset(fresh, x)
    assert (rep.playlists, rep.known_playlists) == (0, 2) and playlists_of(fresh) == after
    assert cli.main(["scan", "--json", "--playlists", str(tmp_path / "lists"),
                     "--data-dir", str(fresh.data_dir)]) == 0  # nothing to replace now
    assert [p["replaced_imported_from"] for p in
            json.loads(capsys.readouterr().out)["playlists"]] == [[], []]


def test_the_json_names_the_dir_and_other_playlists_stay(imported, tmp_path, capsys):
    """Another order, or a track the copy has and the file not, is another playlist."""
    fresh, x = imported
    lists = tmp_path / "lists"
    (lists / "one.m3u8").write_text("../music/b.flac\n../music/a.flac\n")
    (lists / "two.m3u8").write_text("../music/c.flac\n")
    assert cli.main(["scan", "--json", "--playlists", str(lists),
                     "--data-dir", str(fresh.data_dir)]) == 0
    assert [p["replaced_imported_from"] for p in
            json.loads(capsys.readouterr().out)["playlists"]] == [[], []]
    assert [kind for _, _, kind, _ in playlists_of(fresh)] == ["dataset"] * 2 + ["file"] * 2
    (lists / "one.m3u8").write_text("../music/a.flac\n../music/b.flac\n")
    assert cli.main(["scan", "--json", "--playlists", str(lists / "one.m3u8"),
                     "--data-dir", str(fresh.data_dir)]) == 0
    (rep,) = json.loads(capsys.readouterr().out)["playlists"]
    assert rep["replaced_imported_from"] == [str(x)]
    assert [(n, kind) for _, n, kind, _ in playlists_of(fresh)] == [
        ("two", "dataset"), ("one", "file"), ("two", "file")]
    forget_folder(fresh, str(x))  # the dir's copy of two goes, the files' playlists stay
    assert [(n, kind) for _, n, kind, _ in playlists_of(fresh)] == [("one", "file"),
                                                                     ("two", "file")]


def test_a_library_doubled_before_is_mended_and_the_copys_id_retired(imported, tmp_path,
                                                                        monkeypatch):
    fresh, _ = imported
    with monkeypatch.context() as m:  # as the scan did before: both copies kept
        m.setattr(store, "dataset_twins", lambda *args: [])
        scan_library(fresh, playlists=[tmp_path / "lists"])
    doubled = playlists_of(fresh)
    assert len(doubled) == 4
    rep = scan_library(fresh, playlists=[tmp_path / "lists"])
    assert [len(p.replaced_imported_from) for p in rep.playlists] == [1, 1]
    assert playlists_of(fresh) == [p for p in doubled if p[2] == "file"]
    (tmp_path / "lists" / "three.m3u8").write_text("../music/b.flac\n")
    rep = scan_library(fresh, playlists=[tmp_path / "lists" / "three.m3u8"])
    assert rep.playlists[0].playlist_id > max(p[0] for p in doubled)  # no removed copy's id
