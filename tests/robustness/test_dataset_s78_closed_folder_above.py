"""``export DIR`` and ``train --dataset … --out OUT`` where a folder above DIR or OUT may not
be searched (``chmod a-x``, another user's ``700`` home) said only "Permission denied: DIR",
naming neither the folder in the way nor what to do. Both name that folder now, in one line
that says nothing was written, and nothing is made. Run as a user whom permissions bind."""

from __future__ import annotations

import numpy as np
from robust_support import assert_one_line_failure, cli, without_dac_override
from test_filesystem_traps import modes


def _dataset(folder):
    """A whole dataset dir of two tracks in one playlist."""
    folder.mkdir()
    (folder / "tracks.csv").write_text("track_id,title\nt1,Daybreak\nt2,Nightbus\n")
    (folder / "memberships.csv").write_text("playlist_id,track_id\nroad,t1\nroad,t2\n")
    np.save(folder / "features.npy", np.eye(2, dtype=np.float32))
    return folder


def test_export_and_train_out_under_a_closed_folder_name_it(tmp_path):
    prefix = without_dac_override()
    ds, lib = _dataset(tmp_path / "ds"), tmp_path / "lib"
    assert cli("import", str(ds), data_dir=lib).returncode == 0
    closed = tmp_path / "closed"
    (closed / "old").mkdir(parents=True)
    with modes((closed, 0o644)):  # readable, not searchable
        runs = [("export", str(closed / target), cli("export", str(closed / target),
                                                     data_dir=lib, prefix=prefix))
                for target in ("old", "new", "new/deeper")]
        runs.append(("train", f"--out {closed / 'run'}",
                     cli("train", "--dataset", str(ds), "--out", str(closed / "run"),
                         prefix=prefix)))
    for command, given, proc in runs:
        instead = "export into another folder" if command == "export" else \
            "choose another --out folder"
        line = assert_one_line_failure(proc, command)
        assert line == (f"musicsage {command}: {given} cannot be reached: this user may not "
                        f"open the folder {closed} above it (Permission denied); get access "
                        f"to it, or {instead} (nothing was written)")
    assert sorted(p.name for p in closed.iterdir()) == ["old"]
    assert list((closed / "old").iterdir()) == []


def test_a_dataset_dir_under_a_closed_folder_names_that_folder(tmp_path):
    """``import`` and ``train``/``eval --dataset`` of a dataset dir this user may not reach
    said "it cannot be read (Permission denied)" of the dir, whose permissions were fine."""
    prefix = without_dac_override()
    closed = tmp_path / "closed"
    closed.mkdir()
    ds = _dataset(closed / "ds")
    lib = tmp_path / "lib"
    with modes((closed, 0o644)):
        runs = [("import", cli("import", str(ds), data_dir=lib, prefix=prefix)),
                ("eval", cli("eval", "--dataset", str(ds), prefix=prefix))]
    for command, proc in runs:
        line = assert_one_line_failure(proc, command)
        assert line.startswith(f"musicsage {command}: {ds} is not a dataset dir: it cannot be "
                               f"reached: this user may not open the folder {closed} above "
                               "it (Permission denied)"), line
    assert not lib.exists()
