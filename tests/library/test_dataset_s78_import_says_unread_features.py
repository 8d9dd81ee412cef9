"""``import DIR`` of a dir holding its vectors in a form it does not read — a
``features.npz`` saved with ``numpy.savez``, a ``features.json`` whose features.npy is gone —
imported every track without vectors and said nothing but a line lacking its "features …"
part; ``train`` then said the library had no audio vectors. A note says so now."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage import cli


def dataset(tmp_path):
    """A dataset dir of two tracks in one playlist, without a features.npy."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,Daybreak\nt2,Nightbus\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\nroad,t1\nroad,t2\n")
    return d


@pytest.mark.parametrize("name", ["features.npz", "features.json", "Features.npy"])
def test_vectors_in_a_form_import_does_not_read_are_said(tmp_path, capsys, name):
    """``Features.npy``: saved where names are matched in any case (macOS, Windows), where
    import read it; it was not said here."""
    d = dataset(tmp_path)
    if name == "features.npz":
        np.savez(d / name, np.eye(2, dtype=np.float32))
    elif name == "Features.npy":
        np.save(d / name, np.eye(2, dtype=np.float32))
    else:
        (d / name).write_text('{"model_id": "openl3-mel128-music-512", "model_version": "1"}')
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 0
    said = capsys.readouterr()
    assert said.out.splitlines() == [f"imported 2 tracks, 1 playlist, 2 memberships from {d}"]
    assert said.err.splitlines() == [
        f"  note: no features.npy beside {name}: no audio vectors were imported (import reads "
        "them from features.npy alone, one array saved with numpy.save)"]


def test_a_dir_without_vectors_gets_no_note(tmp_path, capsys):
    d = dataset(tmp_path)
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 0
    said = capsys.readouterr()
    assert said.out.splitlines() == [f"imported 2 tracks, 1 playlist, 2 memberships from {d}"]
    assert said.err == ""


def test_a_folder_named_like_features_gets_no_note(tmp_path, capsys):
    """A folder (``features.d/``: the user's notes, older runs) holds no vectors import
    could have read; the note said it did."""
    d = dataset(tmp_path)
    (d / "features.d").mkdir()
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 0
    assert capsys.readouterr().err == ""


def test_a_features_file_linked_to_a_drive_not_mounted_is_noted(tmp_path, capsys):
    d = dataset(tmp_path)
    (d / "features.npz").symlink_to(tmp_path / "usb" / "features.npz")
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 0
    assert "no features.npy beside features.npz" in capsys.readouterr().err
