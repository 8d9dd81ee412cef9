"""``export DIR`` again into a folder an earlier export made, now read-only (a disk mounted
read-only, a folder whose permissions changed): the folder is marked already, so the first
write is the hidden stage folder, and the command ended on the system's line naming that
stage (``Read-only file system: DIR/.musicsage-stage-812-1403….tmp``), with no way out. It
names DIR, says what to do now and that the earlier export is kept, as it is."""

from __future__ import annotations

import errno
import pathlib

import numpy as np
import pytest

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.usecases.library import export_dataset, import_dataset


def test_a_read_only_export_folder_is_named_with_a_way_out(ctx, tmp_path, monkeypatch,
                                                           capsys):
    source = tmp_path / "source"
    source.mkdir()
    (source / "tracks.csv").write_text("track_id,title\n1,One\n2,Two\n")
    np.save(source / "features.npy", np.eye(2, dtype=np.float32))
    import_dataset(ctx, source)
    out = tmp_path / "export"
    export_dataset(ctx, out)
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    make_folder = pathlib.Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.name.startswith(".musicsage-stage-"):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return make_folder(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "mkdir", read_only)
    capsys.readouterr()

    code = main(["--data-dir", str(ctx.data_dir), "export", str(out)])

    err = capsys.readouterr().err
    assert code == 1
    assert err == (f"musicsage export: cannot write into {out} (Read-only file system); "
                   "make it writable or choose another folder (nothing was written; the "
                   "earlier export is kept)\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


def _imported(ctx, tmp_path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "tracks.csv").write_text("track_id,title\n1,One\n")
    np.save(source / "features.npy", np.eye(1, dtype=np.float32))
    import_dataset(ctx, source)


def _refusing_files_in(monkeypatch, folder: pathlib.Path) -> None:
    """``folder`` refuses new files (a disk remounted read-only), as the probe of
    :func:`~musicsage.library.db_problems.unwritable_folder` finds it (the tests run as root,
    whom permission bits do not stop)."""
    import musicsage.files

    make = musicsage.files.temporary_beside

    def refused(target):
        if pathlib.Path(target).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return make(target)

    monkeypatch.setattr(musicsage.files, "temporary_beside", refused)


def test_a_permission_error_naming_no_file_is_refused_in_one_line(ctx, tmp_path, monkeypatch):
    """A buffered write refused (a disk remounted read-only) names no file: it went to the
    crash log as a bug; it is said as the folder's refusal, as before."""
    _imported(ctx, tmp_path)

    def refused(*_args):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("musicsage.audio.selection.analysis_behind", refused)
    out = tmp_path / "export"
    out.mkdir()
    _refusing_files_in(monkeypatch, out)

    with pytest.raises(MusicsageError) as refusal:
        export_dataset(ctx, out)
    assert str(refusal.value) == (f"cannot write into {out} (Permission denied); make it "
                                  "writable or choose another folder (nothing was written)")


def test_a_permission_error_naming_no_file_in_a_writable_folder_is_not_the_folders(
        ctx, tmp_path, monkeypatch):
    """A refusal naming no file (one raised reading the library) while the export folder
    takes files: "cannot write into DIR … make it writable" sent the user to mend a folder
    that was fine; it is raised as it is."""
    _imported(ctx, tmp_path)

    def refused(*_args):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("musicsage.audio.selection.analysis_behind", refused)

    with pytest.raises(PermissionError):
        export_dataset(ctx, tmp_path / "export")


def test_a_permission_error_naming_a_file_elsewhere_is_not_the_export_folders(
        ctx, tmp_path, monkeypatch):
    """Only a refusal naming a file in DIR (or none) is DIR's: another is raised as it is."""
    _imported(ctx, tmp_path)

    def refused(*_args):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "settings"))

    monkeypatch.setattr("musicsage.audio.selection.analysis_behind", refused)

    with pytest.raises(PermissionError):
        export_dataset(ctx, tmp_path / "export")


def test_a_refusal_once_the_swap_began_does_not_say_the_earlier_export_is_kept(
        ctx, tmp_path, monkeypatch):
    """The new set replaces the old one file by file: refused between two (permissions
    changed meanwhile), the earlier export is no longer whole, and "nothing was written; the
    earlier export is kept" sent the user on with a broken one."""
    _imported(ctx, tmp_path)
    out = tmp_path / "export"
    export_dataset(ctx, out)
    remove = pathlib.Path.unlink

    def refused_second(self, *args, **kwargs):
        if self == out / "playlists.csv":  # tracks.csv, removed first, is gone by now
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return remove(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "unlink", refused_second)

    with pytest.raises(MusicsageError) as refusal:
        export_dataset(ctx, out)
    assert str(refusal.value) == (
        f"cannot write into {out} (Permission denied) while its files were being replaced: it "
        "may hold part of an export now; make it writable, then export again")
