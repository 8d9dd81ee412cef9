"""``train --dataset DIR --out OUT`` where OUT is a link to nothing (a drive not mounted, a
folder moved) or a loop of links is refused in one line saying so, before the dataset is
read, and nothing is made: the run said "cannot write into OUT (File exists)", a fault no
one could see (``ls`` shows no folder OUT in the way)."""

from __future__ import annotations

import os

import numpy as np

from musicsage import cli


def dataset(tmp_path):
    """A dataset dir of two tracks in one playlist, whole: only OUT is at fault."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,Daybreak\nt2,Nightbus\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\nroad,t1\nroad,t2\n")
    np.save(d / "features.npy", np.eye(2, dtype=np.float32))
    return d


def test_train_out_through_a_broken_link_says_so_and_makes_nothing(tmp_path, capsys):
    d = dataset(tmp_path)
    target = tmp_path / "usb" / "runs" / "one"
    link = tmp_path / "to-usb"
    os.symlink(target, link)
    assert cli.main(["train", "--dataset", str(d), "--out", str(link)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage train: --out {link} is a broken link (to {target}, which does not "
        "exist): mount or create its folder, or choose another --out folder (nothing was "
        "written)"]
    assert not (tmp_path / "usb").exists()
    assert os.path.islink(link)


def test_train_out_in_a_loop_of_links_says_so(tmp_path, capsys):
    d = dataset(tmp_path)
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    for out in (loop, loop / "sub"):
        assert cli.main(["train", "--dataset", str(d), "--out", str(out)]) == 1
        assert capsys.readouterr().err.strip().splitlines() == [
            f"musicsage train: --out {out} cannot be reached: a link in it leads back to "
            "itself (a loop of links); point the link at a folder, or choose another --out "
            "folder (nothing was written)"]
