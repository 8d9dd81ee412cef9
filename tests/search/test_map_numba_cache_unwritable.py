"""The map's compiled-code cache (numba's, in the user cache folder) that could not be made —
a read-only or full disk, a file where its folder goes, a NUMBA_CACHE_DIR that leads
nowhere — failed the whole map: `musicsage map: Not a directory: …`, and the window's map
said the same. The cache only saves compile time: the map is made all the same, the cache
kept in a per-user temporary folder instead."""

from __future__ import annotations

import os
import sys
import tempfile

from search_helpers import clustered_vectors

from musicsage import cli


def test_a_cache_folder_that_cannot_be_made_does_not_stop_the_map(capsys, ctx, library,
                                                                   monkeypatch, tmp_path):
    if "numba" in sys.modules:  # what the test changes there is put back after it
        monkeypatch.setattr(sys.modules["numba"].config, "CACHE_DIR",
                            sys.modules["numba"].config.CACHE_DIR)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(in_the_way / "numba"))
    library.add(10)
    library.embed(clustered_vectors(10, clusters=2))

    assert cli.main(["map", "--space", "audio", "--data-dir", str(ctx.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "10 tracks mapped" in out and "Not a directory" not in err
    assert os.environ["NUMBA_CACHE_DIR"].startswith(str(tmp_path / "tmp"))
    assert os.path.isdir(os.environ["NUMBA_CACHE_DIR"]) and in_the_way.read_text() == "not a folder"
