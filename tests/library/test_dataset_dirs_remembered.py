"""Where a dataset track came from is looked up on disk once per dir, and a re-read of the
library (a new snapshot) looks again: a dir made since is seen."""

from musicsage.library import paths as P
from musicsage.usecases.snapshot import load_snapshot


def test_a_new_snapshot_sees_a_dataset_dir_made_since(ctx, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "tracks.csv").write_text("track_id\n")
    stored = P.dataset_key_prefix(str(tmp_path / "d#mix")) + "1"  # '#' in the dir's name
    load_snapshot(ctx)
    assert P.dataset_source(stored) == P.from_fs(str(tmp_path / "d"))
    (tmp_path / "d#mix").mkdir()
    (tmp_path / "d#mix" / "tracks.csv").write_text("track_id\n")
    load_snapshot(ctx)
    assert P.dataset_source(stored) == P.from_fs(str(tmp_path / "d#mix"))
