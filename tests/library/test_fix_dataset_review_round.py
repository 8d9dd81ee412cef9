"""Dataset dirs, fix round of session s75's review (docs/dataset-dir.md).

- The first ``import`` into a new library read the dataset dir twice: once for the check
  before the library is made, once for the import itself.
- ``import '~nouser/x'`` (a user this system does not know) ended in "unexpected error
  (RuntimeError: Could not determine home directory.)".
"""

from __future__ import annotations

import pwd

import pytest

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library import dataset, dataset_read
from musicsage.library.dataset_read import read_dataset

NO_USER = "nouser-musicsage-fix-dataset"


def _dir(tmp_path, playlists: str | None = None, *, tracks: str = "track_id,title\nt1,A\nt2,B\n",
         memberships: str = "playlist_id,track_id\np1,t1\np1,t2\n"):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text(tracks)
    (d / "memberships.csv").write_text(memberships)
    if playlists is not None:
        (d / "playlists.csv").write_text(playlists)
    return d


@pytest.mark.parametrize("name, tracks, memberships, line", [
    ("tracks.csv", "track_id,title\nt1,A\n,\n", "playlist_id,track_id\np1,t1\n", 3),
    ("memberships.csv", "track_id,title\nt1,A\n", "playlist_id,track_id\np1,t1\n,\n", 3),
])
def test_tracks_and_memberships_csv_still_refuse_a_row_of_empty_cells(tmp_path, name, tracks,
                                                                      memberships, line):
    """As before the review's commit (which did not change them): not part of the fix."""
    d = _dir(tmp_path, tracks=tracks, memberships=memberships)
    with pytest.raises(MusicsageError) as caught:
        read_dataset(d)
    assert str(caught.value).startswith(f"{d / name} line {line}: empty ")


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The dirs :func:`read_dataset` is asked to read, wherever it is called from."""
    seen: list[str] = []
    real = dataset_read.read_dataset

    def counted(src_dir):
        seen.append(str(src_dir))
        return real(src_dir)

    monkeypatch.setattr(dataset_read, "read_dataset", counted)
    monkeypatch.setattr(dataset, "read_dataset", counted)
    return seen


def test_the_first_import_reads_the_dataset_dir_once(ctx, capsys, tmp_path, reads):
    d = _dir(tmp_path, "playlist_id,name\np1,Road trip\n")
    assert not ctx.has_library()
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 0
    assert reads == [str(d)]
    assert "imported 2 tracks, 1 playlist, 2 memberships" in capsys.readouterr().out
    reads.clear()
    (d / "playlists.csv").write_text("playlist_id,name\np1,Night drive\n")  # read anew
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 0
    assert reads == [str(d)]
    assert "updated 1 playlist" in capsys.readouterr().out


def _no_user() -> None:
    with pytest.raises(KeyError):  # the test needs a user no system has
        pwd.getpwnam(NO_USER)


def test_import_from_an_unknown_users_home_says_one_line(ctx, capsys):
    _no_user()
    code = main(["--data-dir", str(ctx.data_dir), "import", f"~{NO_USER}/x"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err == (f"musicsage import: ~{NO_USER}/x: ~{NO_USER} names no home folder "
                            f"on this system (no user '{NO_USER}'); give the folder's full "
                            "path (nothing was imported)\n")
    assert not ctx.has_library()  # none made


def test_export_into_an_unknown_users_home_is_refused_in_words(ctx):
    """The export's own checks refuse it in one line (``musicsage export`` itself reaches
    ``Path.expanduser`` first in :func:`musicsage.usecases.library.export_dataset`)."""
    from musicsage.library.db import connect
    from musicsage.usecases.export_dir import check_export_dir

    _no_user()
    words = f"~{NO_USER}/x: ~{NO_USER} names no home folder on this system"
    with pytest.raises(MusicsageError, match=words) as caught:
        check_export_dir(ctx, f"~{NO_USER}/x")
    assert str(caught.value).endswith("(nothing was written)")
    conn = connect(ctx)
    try:
        with pytest.raises(MusicsageError, match=words):
            dataset.export_dataset(conn, f"~{NO_USER}/x")
    finally:
        conn.close()


def test_the_export_command_into_an_unknown_users_home_says_one_line(tmp_path, capsys):
    """The use case expanded the path itself before the checks: ``export '~nouser/x'`` still
    ended in "unexpected error (RuntimeError …)" with a crash log."""
    from musicsage.cli import main

    music = tmp_path / "music"
    music.mkdir()
    import numpy as np
    import soundfile as sf

    sf.write(music / "a.wav", np.zeros(4410, dtype="float32"), 44100)
    data = ["--data-dir", str(tmp_path / "lib")]
    assert main([*data, "scan", str(music)]) == 0
    capsys.readouterr()

    _no_user()
    code = main([*data, "export", f"~{NO_USER}/out"])

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "unexpected error" not in err
    assert err.splitlines() == [
        f"musicsage export: ~{NO_USER}/out: ~{NO_USER} names no home folder on this system "
        f"(no user '{NO_USER}'); give the folder's full path (nothing was written)"]


def test_a_playlist_or_out_folder_in_an_unknown_users_home_says_one_line():
    """``train --out '~nouser/o'`` and ``radio --m3u '~nouser/x.m3u'`` ended in "unexpected
    error (RuntimeError: Could not determine home directory.)"."""
    from musicsage.search.m3u import check_folder_of

    _no_user()
    with pytest.raises(MusicsageError) as caught:
        check_folder_of(f"~{NO_USER}/o/metrics.json", "--out folder")
    assert str(caught.value) == (f"~{NO_USER}/o/metrics.json: ~{NO_USER} names no home folder "
                                 f"on this system (no user '{NO_USER}'); give the folder's full "
                                 "path (nothing was written)")
