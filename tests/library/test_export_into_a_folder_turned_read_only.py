"""``export DIR`` again into a folder an earlier export made, now read-only (a disk mounted
read-only, a folder whose permissions changed): the folder is marked already, so the first
write is the hidden stage folder, and the command ended on the system's line naming that
stage (``Read-only file system: DIR/.musicsage-stage-812-1403….tmp``), with no way out. It
names DIR and says what to do now, and the earlier export stays as it was."""

from __future__ import annotations

import errno
import pathlib

import numpy as np

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
    assert err == (f"musicsage export: cannot write into {out} (Read-only file system): "
                   "make it writable, or choose another folder\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier
