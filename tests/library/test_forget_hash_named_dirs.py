"""A '#' may be part of a dir's name: ``dataset:A#`` starts ``dataset:A#x#t0``, the key of a
track the dir ``A#x`` stored. ``forget A`` took ``A#x``'s tracks and playlists for its own:
kept, since ``A#x`` names them, but reported kept at every ``forget A`` — and ``forget A`` of
a dir never imported "removed" it. A music folder named so is kept apart the same way."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import db
from musicsage.usecases.library import (export_dataset, forget_folder, import_dataset,
                                        scan_library)

from test_forget_shared_dataset_tracks import snapshot, write_dir


def test_forgetting_a_dir_leaves_the_dir_whose_name_goes_on_past_a_hash_alone(ctx, tmp_path):
    a, ax = write_dir(tmp_path / "A"), write_dir(tmp_path / "A#x")
    import_dataset(ctx, a)
    import_dataset(ctx, ax)
    tracks, playlists = snapshot(ctx)
    theirs = [t for t in tracks if t[1].startswith(f"dataset:{ax}#")]

    rep = forget_folder(ctx, str(a))

    assert rep.to_dict() == {"dataset": str(a), "playlists": 2, "tracks": 4}
    assert "kept" not in rep.summary()
    assert snapshot(ctx) == (theirs, [p for p in playlists if p[1][0].startswith(
        f"dataset:{ax}#")])
    with pytest.raises(MusicsageError, match="holds nothing an import of it stored"):
        forget_folder(ctx, str(a))
    assert forget_folder(ctx, str(ax)).to_dict() == {
        "dataset": str(ax), "playlists": 2, "tracks": 4}
    assert snapshot(ctx) == ([], [])


def test_a_dir_never_imported_is_refused_though_one_named_on_from_it_was(ctx, tmp_path):
    a, ax = write_dir(tmp_path / "A"), write_dir(tmp_path / "A#x")
    import_dataset(ctx, ax)
    before = snapshot(ctx)
    with pytest.raises(MusicsageError, match="holds nothing an import of it stored"):
        forget_folder(ctx, str(a))
    assert snapshot(ctx) == before


def test_a_track_both_dirs_name_is_still_kept_and_counted(ctx, tmp_path):
    """``A``'s export, written to ``A#x`` and imported back, names ``A``'s tracks."""
    a = write_dir(tmp_path / "A")
    import_dataset(ctx, a)
    export_dataset(ctx, tmp_path / "A#x")
    import_dataset(ctx, tmp_path / "A#x")
    rep = forget_folder(ctx, str(a))
    assert (rep.tracks, rep.playlists, rep.kept, rep.kept_playlists) == (0, 0, 4, 2)
    tracks, playlists = snapshot(ctx)
    assert len(tracks) == 4 and all(t[1].startswith(f"dataset:{tmp_path}/A#x#") for t in tracks)
    assert forget_folder(ctx, str(tmp_path / "A#x")).tracks == 4 and snapshot(ctx) == ([], [])


def test_a_music_folder_takes_neither_a_folder_named_on_past_a_hash_nor_one_alike(
        ctx, tmp_path, make_audio):
    folders = [tmp_path / name for name in ("A", "A#x", "AB")]
    for i, folder in enumerate(folders):
        make_audio(folder / f"song{i}.wav", freq=300.0 + 100 * i)
    scan_library(ctx, [str(f) for f in folders])

    rep = forget_folder(ctx, str(folders[0]))

    assert (rep.tracks, rep.kept) == (1, 0)
    conn = db.connect(ctx)
    assert sorted(r[0] for r in conn.execute("SELECT path FROM tracks")) == [
        str(folders[1] / "song1.wav"), str(folders[2] / "song2.wav")]
