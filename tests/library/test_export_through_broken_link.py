"""``export DIR`` where DIR is a link to a folder that is not there (a drive not mounted, a
folder moved) is refused in one line, and nothing is made: export followed the link and
made its target — with every missing folder above it, which ``export`` refuses to make for
a DIR typed out — and wrote the dataset there."""

from __future__ import annotations

import os

from musicsage import cli


def small_library(tmp_path):
    """A library imported from a dataset dir of two tracks in one playlist."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,Daybreak\nt2,Nightbus\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\nroad,t1\nroad,t2\n")
    lib = tmp_path / "lib"
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    return lib


def test_export_through_a_broken_link_is_refused_and_makes_nothing(tmp_path, capsys):
    lib = small_library(tmp_path)
    target = tmp_path / "usb" / "exports" / "mine"  # the drive's folders are not there
    link = tmp_path / "to-usb"
    os.symlink(target, link)
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "export", str(link)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage export: {link} is a broken link (to {target}, which does not exist): "
        "mount or create its folder, or export into another (nothing was written)"]
    assert not (tmp_path / "usb").exists()
    assert os.path.islink(link)


def test_a_relative_broken_link_is_refused_naming_the_folder_it_leads_to(tmp_path, capsys):
    lib = small_library(tmp_path)
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "to-new"
    os.symlink(os.path.join("..", "exps", "new"), link)  # its text names no folder one can find
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "export", str(link)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage export: {link} is a broken link (to {tmp_path.resolve() / 'exps' / 'new'}, "
        "which does not exist): mount or create its folder, or export into another (nothing "
        "was written)"]
    assert not (tmp_path / "exps").exists()


def test_export_through_a_link_to_a_folder_still_writes_there(tmp_path, capsys):
    lib = small_library(tmp_path)
    target = tmp_path / "exports"
    target.mkdir()
    link = tmp_path / "to-exports"
    os.symlink(target, link)
    assert cli.main(["--data-dir", str(lib), "export", str(link)]) == 0
    assert (target / "tracks.csv").read_text().count("\n") == 3
