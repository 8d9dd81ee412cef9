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


def test_a_permission_error_naming_no_file_is_not_the_export_folders(ctx, tmp_path,
                                                                      monkeypatch):
    """Only a refusal naming a file in DIR is DIR's: one naming no file (raised by something
    else the export reads) was said to be DIR's, "cannot write into DIR … make it writable"."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "tracks.csv").write_text("track_id,title\n1,One\n")
    np.save(source / "features.npy", np.eye(1, dtype=np.float32))
    import_dataset(ctx, source)

    def refused(*_args):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("musicsage.audio.selection.analysis_behind", refused)

    with pytest.raises(PermissionError):
        export_dataset(ctx, tmp_path / "export")
