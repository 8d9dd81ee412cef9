"""``forget --missing`` with no folder keeps the tracks of a music folder left empty: a drive
unplugged leaves its bare mount point, a scan then marks every track of it missing, and
removing them would lose the whole drive's analysis for nothing."""

from __future__ import annotations

import json
import shutil

from musicsage import cli
from musicsage.usecases.library import scan_library


def test_an_empty_music_folder_keeps_its_missing_tracks(ctx, conn, tmp_path, make_audio,
                                                        capsys):
    mount = tmp_path / "usb drive #1"
    for i in range(3):
        make_audio(mount / "album" / f"t{i}.wav", freq=300.0 + 110 * i)
    scan_library(ctx, [str(mount)])
    shutil.move(mount / "album", tmp_path / "elsewhere")  # unmounted: the folder stays, empty
    scan_library(ctx)
    assert conn.execute("SELECT COUNT(*) FROM tracks WHERE status = 'missing'"
                        ).fetchone()[0] == 3

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["tracks"] == 0
    assert out["kept"] == [{"folder": str(mount), "tracks": 3}]
    assert conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 3

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", str(mount)])
    assert code == 0 and capsys.readouterr().out.startswith("3 missing tracks removed")
