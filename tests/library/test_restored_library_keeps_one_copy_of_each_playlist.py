"""A library restored from a backup to another folder (``cp -a lib restore/lib``, the data dir
copied, the old folder moved away), its music scanned at the new place (found moved) and its
playlist files imported there: every playlist was in the library twice — the old one kept
"while its file cannot be reached", the new one beside it, same name and tracks — so
``suggest "Mix 1"`` matched two playlists and training counted each membership twice, with
no word said and no way to remove the old ones. A playlist whose file is gone (not on an
unplugged drive) now gives its place and id to the file found with its name and entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from music_support import make_music

from musicsage import cli
from musicsage.context import AppContext
from musicsage.usecases.library import list_playlists, playlist_track_ids, scan_library


@pytest.fixture
def library(tmp_path) -> tuple[AppContext, Path]:
    """Eight tracks and six ``Mix N.m3u8`` under ``tmp_path/lib``, scanned with the lists:
    (the library, the folder holding ``lib``)."""
    music, lists, _ = make_music(tmp_path / "lib", n_tracks=8, seconds=0.5)
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [music], [lists])
    return ctx, tmp_path


def playlists_of(ctx) -> list[tuple[int, str, str, list[int]]]:
    """(id, name, folder of its file, tracks) of every playlist, by id."""
    return sorted((p.id, p.name, str(Path(p.path).parent), playlist_track_ids(ctx, p.id))
                  for p in list_playlists(ctx))


def scan(ctx, *args: str) -> None:
    assert cli.main(["scan", *args, "--data-dir", str(ctx.data_dir)]) == 0


def test_restored_playlists_take_the_old_ones_place(library, capsys):
    ctx, root = library
    before = playlists_of(ctx)
    shutil.copytree(root / "lib", root / "restore" / "lib", copy_function=shutil.copy2)
    (root / "lib").rename(root / "lib.away")
    scan(ctx, str(root / "restore" / "lib" / "music"))
    capsys.readouterr()
    scan(ctx, "--playlists", str(root / "restore" / "lib" / "playlists"))
    out = capsys.readouterr().out
    new = str(root / "restore" / "lib" / "playlists")
    assert (f"note: 6 playlists whose files were gone from {root / 'lib' / 'playlists'} were "
            f"found at {new}: their files now stand for them") in out
    after = playlists_of(ctx)
    assert [(i, n, t) for i, n, _, t in after] == [(i, n, t) for i, n, _, t in before]
    assert {folder for _, _, folder, _ in after} == {new}
    scan(ctx, "--playlists", new)  # said once: nothing is left to take the place of
    assert "were gone" not in capsys.readouterr().out


def test_a_playlist_whose_file_is_still_there_is_never_merged(library, capsys):
    ctx, root = library
    shutil.copytree(root / "lib" / "playlists", root / "copy", copy_function=shutil.copy2)
    scan(ctx, "--playlists", str(root / "copy"))
    assert "were gone" not in capsys.readouterr().out
    assert len(playlists_of(ctx)) == 12


def restore(root: Path, ctx) -> Path:
    """``lib`` copied to ``restore/lib``, moved away and its music scanned at the new place
    (found moved): the restored playlists' folder."""
    shutil.copytree(root / "lib", root / "restore" / "lib", copy_function=shutil.copy2)
    (root / "lib").rename(root / "lib.away")
    scan(ctx, str(root / "restore" / "lib" / "music"))
    return root / "restore" / "lib" / "playlists"


def test_a_playlist_with_other_entries_keeps_the_old_one(library, capsys):
    """Another order of the same tracks is another playlist: both are kept."""
    ctx, root = library
    shutil.copytree(root / "lib", root / "restore" / "lib", copy_function=shutil.copy2)
    mix1 = root / "restore" / "lib" / "playlists" / "Mix 1.m3u8"
    head, *lines = mix1.read_text().splitlines()
    mix1.write_text("\n".join([head, *reversed(lines)]) + "\n")
    (root / "lib").rename(root / "lib.away")
    scan(ctx, str(root / "restore" / "lib" / "music"))
    scan(ctx, "--playlists", str(mix1.parent))
    assert "note: 5 playlists whose files were gone" in capsys.readouterr().out
    assert sorted(n for _, n, _, _ in playlists_of(ctx)) == sorted(
        ["Mix 1", "Mix 1", "Mix 2", "Mix 3", "Mix 4", "Mix 5", "Mix 6"])


def test_a_bare_folder_left_at_the_old_place_keeps_the_old_ones(library, capsys):
    """The folder nearest the old files that is still there is empty: an unplugged drive
    leaves its mount point so, and its playlists are only out of reach — kept apart."""
    ctx, root = library
    new = restore(root, ctx)
    (root / "lib").mkdir()
    capsys.readouterr()
    scan(ctx, "--playlists", str(new))
    assert "were gone" not in capsys.readouterr().out
    assert len(playlists_of(ctx)) == 12


def test_the_gone_music_folder_says_how_to_find_its_tracks_moved(library, capsys):
    ctx, root = library
    (root / "lib").rename(root / "lib.away")
    assert cli.main(["scan", "--data-dir", str(ctx.data_dir)]) == 0  # a plain re-scan
    err = capsys.readouterr().err
    assert ("not found (its 8 tracks are marked missing: moved? scan its new place "
            "(File ▸ Add music folder… in the window) to find them moved") in err


def test_the_window_says_it_and_a_library_doubled_before_is_mended(library, monkeypatch):
    """The window's scan (the same service function) says the note; a library that a scan
    before this fix doubled loses the old copies at the next import of the files."""
    from musicsage.controllers.summaries import describe_scan
    from musicsage.library.playlists import store

    ctx, root = library
    new = restore(root, ctx)
    with monkeypatch.context() as m:  # as the scan did before: both copies kept
        m.setattr(store, "gone_twins", lambda *args: [], raising=False)
        scan_library(ctx, playlists=[new])
    doubled = playlists_of(ctx)
    assert len(doubled) == 12
    rep = scan_library(ctx, playlists=[new])
    assert describe_scan(rep).endswith(
        f"6 playlists whose files were gone from {root / 'lib' / 'playlists'} were found at "
        f"{new}: their files now stand for them")
    assert playlists_of(ctx) == doubled[6:]
