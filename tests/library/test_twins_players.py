"""A player's playlist (Rhythmbox, Strawberry, iTunes) that is the twin of a playlist a
dataset import stored takes its place, by the rule a playlist file follows
(library/playlists/twins.py): an import already counts the player's lists as the library's
own (it stores no copy of them), so a library exported, imported into a new one and given its
player's playlists had every playlist twice — each membership doubled in training."""

from __future__ import annotations

from pathlib import Path

from player_files import write_rhythmbox, write_strawberry
from test_import_own_export import exported  # noqa: F401 (the fixture)
from test_scan_replaces_imported_twins import imported, playlists_of  # noqa: F401

from musicsage import cli
from musicsage.library.playlists import players
from musicsage.usecases.library import scan_library


def lists_of(tmp_path: Path) -> list[tuple[str, list[Path]]]:
    """The two playlists of ``exported`` as a player holds them (one.m3u8's missing entry
    left out: a player keeps no entry for a file it never had)."""
    m = tmp_path / "music"
    return [("one", [m / "a.flac", m / "b.flac", m / "a.flac"]),
            ("two", [m / "c.flac", m / "d.flac", m / "a.flac"])]


def test_a_players_playlist_takes_the_place_of_the_imports_copy(imported, tmp_path, capsys):
    fresh, x = imported
    before = playlists_of(fresh)
    assert [(n, kind) for _, n, kind, _ in before] == [("one", "dataset"), ("two", "dataset")]
    (tmp_path / "rhythmbox").mkdir()
    rb = write_rhythmbox(tmp_path / "rhythmbox" / "playlists.xml", lists_of(tmp_path))
    assert cli.main(["scan", "--playlists", str(rb), "--data-dir", str(fresh.data_dir)]) == 0
    assert (f"note: 2 playlists were already in the library as imported from {x}: their "
            "files now stand for them") in capsys.readouterr().out
    after = playlists_of(fresh)  # the copies' ids, now the player's lists
    assert [(i, n, kind) for i, n, kind, _ in after] == [(i, n, "file") for i, n, _, _ in before]
    assert [len(p[3]) for p in after] == [3, 3]
    rep = scan_library(fresh, playlists=[rb])  # read again: nothing left to replace
    assert [p.replaced_imported_from for p in rep.playlists if not p.error] == [[], []]
    assert playlists_of(fresh) == after


def test_a_library_doubled_before_is_mended_by_the_next_read(imported, tmp_path, monkeypatch):
    """Its lists stored beside the copies (as before), the unchanged file read again."""
    fresh, _ = imported
    db = write_strawberry(tmp_path / "strawberry.db", lists_of(tmp_path))
    with monkeypatch.context() as m:
        m.setattr(players, "dataset_twins", lambda *args: [])
        scan_library(fresh, playlists=[db])
    doubled = playlists_of(fresh)
    assert len(doubled) == 4
    rep = scan_library(fresh, playlists=[db])
    assert sorted(len(p.replaced_imported_from) for p in rep.playlists if not p.error) == [1, 1]
    assert playlists_of(fresh) == [p for p in doubled if p[2] == "file"]


def test_another_order_is_another_playlist(imported, tmp_path):
    fresh, _ = imported
    m = tmp_path / "music"
    (tmp_path / "rb").mkdir()
    rb = write_rhythmbox(tmp_path / "rb" / "playlists.xml",
                         [("one", [m / "b.flac", m / "a.flac"])])
    rep = scan_library(fresh, playlists=[rb])
    assert [p.replaced_imported_from for p in rep.playlists if not p.error] == [[]]
    assert [(n, kind) for _, n, kind, _ in playlists_of(fresh)] == [
        ("one", "dataset"), ("two", "dataset"), ("one", "file")]
