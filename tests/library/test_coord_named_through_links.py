"""A file retagged with its time put back, named to ``scan`` through some link (inside its
music folder, to a subfolder, to the file itself): it is the library's track, and it is read
(a link inside the folder was missed: the walk respells the file after the named set is
made)."""

import os

from test_fix_scanwalk_written_files import _analysed, _retag_keeping_the_time, _stored


def test_named_through_a_link_inside_the_folder_to_itself(conn, music, ctx):
    """Music/again -> . (the folder's own link): scan Music/again/a.flac."""
    from musicsage.usecases.library import scan_library
    (path,) = _analysed(conn, music, ["a.flac"])
    (music / "again").symlink_to(".")
    _retag_keeping_the_time(path, "New")
    rep = scan_library(ctx, [os.fspath(music / "again" / "a.flac")])
    assert (rep.updated, rep.errors) == (1, [])
    assert _stored(conn)[0] == {("New", 0)}


def test_named_through_a_link_to_a_subfolder(conn, music, ctx, tmp_path):
    """~/Album -> ~/Music/album: scan ~/Album/a.flac."""
    from musicsage.usecases.library import scan_library
    (path,) = _analysed(conn, music, ["album/a.flac"])
    link = tmp_path / "Album"
    link.symlink_to(music / "album")
    _retag_keeping_the_time(path, "New")
    rep = scan_library(ctx, [os.fspath(link / "a.flac")])
    assert (rep.updated, rep.errors) == (1, [])
    assert _stored(conn)[0] == {("New", 0)}


def test_named_through_a_file_link(conn, music, ctx, tmp_path):
    """~/fav.flac -> ~/Music/a.flac: scan ~/fav.flac."""
    from musicsage.usecases.library import scan_library
    (path,) = _analysed(conn, music, ["a.flac"])
    link = tmp_path / "fav.flac"
    link.symlink_to(path)
    _retag_keeping_the_time(path, "New")
    rep = scan_library(ctx, [os.fspath(link)])
    assert (rep.updated, rep.errors) == (1, [])
    assert _stored(conn)[0] == {("New", 0)}
