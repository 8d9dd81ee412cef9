"""Dataset dirs, review of session s75 (docs/dataset-dir.md).

- An output folder's ``.musicsage-output`` holding JSON nested too deep for Python's reader
  (``[[[[…]]]]``) ended ``export`` in "unexpected error (RecursionError …)"; such a mark is
  one that cannot be read, and licenses nothing.
"""

from __future__ import annotations

import errno
import os

import pytest

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.files import OUTPUT_MARKER, output_mark, refuse_foreign_files
from musicsage.library.dataset_read import read_dataset


def _dir(tmp_path, playlists: str):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,A\nt2,B\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np1,t1\np1,t2\n")
    (d / "playlists.csv").write_text(playlists)
    return d


def test_named_playlists_still_import(ctx, capsys, tmp_path):
    d = _dir(tmp_path, "playlist_id,name\np1,Road trip\n")
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 0
    assert "1 playlist" in capsys.readouterr().out


def _deep_mark(folder):
    folder.mkdir(exist_ok=True)
    (folder / OUTPUT_MARKER).write_text("[" * 200_000 + "]" * 200_000 + "\n")


def test_a_mark_nested_too_deep_is_one_that_cannot_be_read(tmp_path):
    _deep_mark(tmp_path)
    assert output_mark(tmp_path) == {}
    (tmp_path / "tracks.csv").write_text("track_id\nmine\n")
    with pytest.raises(MusicsageError, match="musicsage did not write it"):
        refuse_foreign_files(tmp_path, ("tracks.csv",), command="export")
    assert (tmp_path / "tracks.csv").read_text() == "track_id\nmine\n"


def test_export_beside_a_mark_nested_too_deep_says_one_line(ctx, capsys, tmp_path):
    from musicsage.library.db import connect

    connect(ctx).close()  # an (empty) library
    out = tmp_path / "out"
    _deep_mark(out)
    (out / "tracks.csv").write_text("track_id\nmine\n")
    code = main(["--data-dir", str(ctx.data_dir), "export", str(out)])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.count("\n") == 1
    assert "musicsage did not write it" in captured.err
    assert (out / "tracks.csv").read_text() == "track_id\nmine\n"


@pytest.mark.parametrize("name", ["loop", "loop/sub", "a/x/y"])
def test_export_through_a_loop_of_links_says_one_line(ctx, capsys, tmp_path, name):
    """``export loop/sub`` (``loop -> loop``) ended in "unexpected error (RuntimeError:
    Symlink loop …)"; ``export loop`` called the link one to a folder that does not exist."""
    from musicsage.library.db import connect

    connect(ctx).close()  # an (empty) library
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    out = tmp_path / name
    code = main(["--data-dir", str(ctx.data_dir), "export", str(out)])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err == (f"musicsage export: {out} cannot be reached: a link in it leads "
                            "back to itself (a loop of links); point the link at a folder, or "
                            "export into another (nothing was written)\n")
    assert (tmp_path / "loop").is_symlink() and (tmp_path / "a").is_symlink()


@pytest.mark.parametrize("text", [b"\xff\xfe{\x00}\x00",  # UTF-16, as Notepad may save it
                                  b'{"model_id": "openl3-x", "model_version": "caf\xe9"}'])
def test_a_features_json_not_utf8_is_named_as_the_csvs_are(tmp_path, text):
    """It said "not usable ('utf-8' codec can't decode byte 0xff in position 0 …)": the
    codec's words, naming no line nor what to do."""
    import numpy as np

    d = _dir(tmp_path, "playlist_id,name\np1,Road trip\n")
    np.save(d / "features.npy", np.ones((2, 3), np.float32))
    (d / "features.json").write_bytes(text)
    with pytest.raises(MusicsageError) as caught:
        read_dataset(d)
    assert str(caught.value).startswith(f"{d / 'features.json'} is not UTF-8 text (byte 0x")
    assert str(caught.value).endswith("on line 1): save it as UTF-8")


def test_a_dataset_dir_inside_a_loop_of_links_is_not_called_missing(tmp_path):
    """``import loop/sub`` (``loop -> loop``) said "no such folder": the path is there to
    see, and the way to it is what is broken."""
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(MusicsageError) as caught:
        read_dataset(tmp_path / "loop" / "sub")
    assert str(caught.value) == (f"{tmp_path / 'loop' / 'sub'} is not a dataset dir: it "
                                 f"cannot be read ({os.strerror(errno.ELOOP)}) "
                                 "(nothing was imported)")
    with pytest.raises(MusicsageError, match="is not a dataset dir: no such folder"):
        read_dataset(tmp_path / "nothing-here")
