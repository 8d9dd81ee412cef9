"""A playlist of tracks imported from a dataset dir: its rows name the dir each came from,
found once per dir (each row looked at the disk, 8,000 looks per re-read of the library)."""

from __future__ import annotations

from musicsage.controllers.playlist_tracks import playlist_tracks
from musicsage.usecases.library import import_dataset
from musicsage.usecases.snapshot import load_snapshot


def test_each_row_names_its_dataset_dir_even_with_a_hash_in_an_id(ctx, tmp_path):
    d = tmp_path / "ds#1"
    d.mkdir()
    ids = ["t0", "t#1", "x#y#2"]
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"{t},Song {i},Artist\n" for i, t in enumerate(ids)), encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"mix,{t}\n" for t in ids), encoding="utf-8")
    import_dataset(ctx, d)
    snap = load_snapshot(ctx)
    view = playlist_tracks(snap, snap.playlists[0].id)
    assert [r.path for r in view.rows] == [f"no audio file (imported from {d})"] * 3
