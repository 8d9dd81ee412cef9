"""Dataset dirs, task "dataset" of session s76 (docs/dataset-dir.md).

- A playlists.csv row with text but no playlist_id (``,Late night``, a spreadsheet's
  ``,,total``) imports, as it did, but was said to be a playlist ``''`` that "has no members
  and was not imported"; two such rows refused the whole dir as a duplicate id ``''``.
- ``train``/``eval --dataset '~nouser/x'`` (quoted: a user this system does not know) said
  "no such folder", where ``import`` says that no such user's home exists.
"""

from __future__ import annotations

import os
import pwd

import numpy as np
import pytest

from musicsage.cli import main

NO_USER = "nouser-musicsage-task-dataset"


def _dir(tmp_path, playlists: str):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,A\nt2,B\nt3,C\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np1,t1\np1,t2\np2,t3\n")
    (d / "playlists.csv").write_text(playlists)
    return d


def test_rows_without_a_playlist_id_are_skipped_and_said_so_by_their_lines(ctx, capsys,
                                                                            tmp_path):
    d = _dir(tmp_path, "playlist_id,name\np1,Road\np2,Late\n,Late night\np3,Empty\n,\n\n"
                       ',,total\n" ",x\n')
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("imported 3 tracks, 2 playlists, 3 memberships")
    notes = [line.strip() for line in err.splitlines()]
    # the row of empty cells alone (line 6) is skipped as a blank line is, without a word
    assert "note: 3 rows of playlists.csv have no playlist id and were skipped (lines 4, 8, " \
           "9)" in notes
    assert "note: 1 playlist has no members and was not imported: 'p3'" in notes
    assert "''" not in err
    assert main(["--data-dir", str(ctx.data_dir), "playlists", "--json"]) == 0
    assert '"Road"' in capsys.readouterr().out


def test_one_row_without_a_playlist_id_is_said_in_the_singular(ctx, capsys, tmp_path):
    d = _dir(tmp_path, "playlist_id,name\np1,Road\n,Late night\n")
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 0
    err = capsys.readouterr().err
    assert "note: 1 row of playlists.csv has no playlist id and was skipped (line 3)" in err
    assert "no members" not in err


def test_a_playlist_id_listed_twice_is_still_refused_by_its_lines(ctx, capsys, tmp_path):
    d = _dir(tmp_path, "playlist_id,name\np1,Road\n,x\np1,Other\n")
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 1
    assert capsys.readouterr().err == (f"musicsage import: {d / 'playlists.csv'}: duplicate "
                                       "playlist_id 'p1' on lines 2 and 4 (an id that is not "
                                       "unique cannot name one row)\n")


@pytest.mark.parametrize("command", [["train", "--dataset", f"~{NO_USER}/x", "--out", "OUT"],
                                     ["eval", "--dataset", f"~{NO_USER}/x"]])
def test_train_and_eval_on_an_unknown_users_home_say_so(tmp_path, capsys, command):
    with pytest.raises(KeyError):  # the test needs a user no system has
        pwd.getpwnam(NO_USER)
    argv = [str(tmp_path / "o") if a == "OUT" else a for a in command]
    assert main(["--data-dir", str(tmp_path / "lib"), *argv]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"musicsage {command[0]}: ~{NO_USER}/x: ~{NO_USER} names no home "
                            f"folder on this system (no user '{NO_USER}'); give the folder's "
                            "full path\n")
    assert not (tmp_path / "o").exists()


def test_eval_still_reads_a_quoted_home_of_this_user(tmp_path, capsys, monkeypatch):
    """The check above refuses only a home that cannot be found: ``~/d`` is still read."""
    monkeypatch.setenv("HOME", str(tmp_path))
    d = _dir(tmp_path, "playlist_id,name\n")
    np.save(d / "features.npy", np.ones((2, 4), dtype=np.float32))  # one row short
    assert main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", "~/d"]) == 1
    err = capsys.readouterr().err
    assert "features.npy" in err and "no home folder" not in err


def test_eval_reads_a_folder_whose_name_starts_with_a_tilde_as_typed(tmp_path, capsys,
                                                                   monkeypatch):
    """A folder that is there under the name typed (``./~nouser-x/d``) is read as such, as
    the command line reads every path that exists as typed: it was refused as "names no home
    folder" once the unknown user's check came before the look."""
    monkeypatch.chdir(tmp_path)
    d = _dir(tmp_path, "playlist_id,name\n")
    literal = tmp_path / f"~{NO_USER}-x"
    literal.mkdir()
    d.rename(literal / "d")
    np.save(literal / "d" / "features.npy", np.ones((2, 4), dtype=np.float32))  # a row short
    assert main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset",
                 f"~{NO_USER}-x/d"]) == 1
    err = capsys.readouterr().err
    assert "features.npy" in err and "no home folder" not in err


def test_export_with_an_empty_audio_model_is_refused_as_train_refuses_it(ctx, capsys,
                                                                         tmp_path):
    """``export --audio-model "$MODEL"`` with the variable unset exported the default model's
    vectors without a word; ``train`` refuses it."""
    d = _dir(tmp_path, "playlist_id,name\np1,Road\n")
    np.save(d / "features.npy", np.ones((3, 4), dtype=np.float32))
    assert main(["--data-dir", str(ctx.data_dir), "import", str(d)]) == 0
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["--data-dir", str(ctx.data_dir), "export", "--audio-model", "", str(out)]) == 1
    assert capsys.readouterr().err == ("musicsage export: --audio-model is empty: name an audio "
                                       "model, or leave it out for the library's (nothing was "
                                       "written)\n")
    assert not out.exists()
    assert main(["--data-dir", str(ctx.data_dir), "export", "--audio-model", "spectral",
                 str(out)]) == 0
    assert (out / "features.npy").is_file()


def test_a_home_that_cannot_be_found_says_why_not_no_user(monkeypatch):
    """Without HOME and without an entry in the user list, ``~/x`` was refused as
    ``no user ''``, naming no user; the line now says what is missing."""
    from musicsage.errors import MusicsageError
    from musicsage.library.paths import home_expanded

    def no_entry(_uid):
        raise KeyError("uid not found")

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    with pytest.raises(MusicsageError) as refused:
        home_expanded("~/x", suffix=" (nothing was imported)")
    line = str(refused.value)
    assert "no user ''" not in line
    assert line.startswith("~/x: ~ names no home folder on this system (HOME is not set, and this "
                           f"user (uid {os.getuid()}) has no entry in the system's user list)")
    assert line.endswith("give the folder's full path (nothing was imported)")
