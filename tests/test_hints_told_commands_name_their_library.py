"""A command a line of ``musicsage --data-dir L COMMAND`` tells the user to run names L: its
words are written once, for the window too, and pasted as told such a command worked on the
default library ("or musicsage embed" after ``--data-dir L train`` embedded the wrong one).
The failure line, notes on stdout and stderr and ``--json`` strings all carry it; a command
that names a library already is not given a second one, and the default library's commands
stay as short as typed. The command shown pastes and works however ``--data-dir`` was given
(relative, ``~``, with spaces, a ``file://`` URI)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import pytest

from musicsage.cli import main
from musicsage.commands.told_commands import in_data, on_library, ran_on, told_on_library


@pytest.fixture(scope="module")
def library_template(tmp_path_factory):
    """A library of 4 scanned tracks, 3 of them embedded (spectral), one playlist of 2."""
    import shutil

    import numpy as np
    import soundfile as sf

    root = tmp_path_factory.mktemp("told")
    music = root / "music"
    music.mkdir()
    for i in range(4):
        t = np.arange(16000) / 16000
        sf.write(str(music / f"t{i}.wav"), 0.3 * np.sin(2 * np.pi * (220 + 60 * i) * t), 16000)
    (root / "pl.m3u").write_text(f"{music / 't0.wav'}\n{music / 't1.wav'}\n")
    lib = root / "lib"
    moved = root / "t3.wav"
    shutil.move(music / "t3.wav", moved)
    assert main(["--data-dir", str(lib), "scan", str(music), "--playlists",
                 str(root / "pl.m3u")]) == 0
    assert main(["--data-dir", str(lib), "embed", "--model", "spectral"]) == 0
    shutil.move(moved, music / "t3.wav")
    assert main(["--data-dir", str(lib), "scan"]) == 0  # t3: a track with no vector
    return lib


@pytest.fixture
def library(library_template, tmp_path):
    """A copy of the template in a folder whose name needs quoting in a shell."""
    import shutil

    lib = tmp_path / "my lib"
    shutil.copytree(library_template, lib)
    return lib


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_a_failure_line_names_the_library_in_its_hint(library, capsys):
    rc, _out, err = _run(capsys, "--data-dir", str(library), "radio", "t3")
    assert rc == 1
    assert err.strip().endswith(
        f"(Compute embeddings in the window, or musicsage --data-dir '{library}' embed)"), err


def test_a_backticked_command_in_a_failure_names_the_library(library, capsys):
    rc, _out, err = _run(capsys, "--data-dir", str(library), "models", "--use", "7")
    assert rc == 1
    assert f"(`musicsage --data-dir '{library}' models` lists them)" in err, err


def test_a_note_on_stdout_names_the_library(library, capsys):
    rc, out, _err = _run(capsys, "--data-dir", str(library), "playlists")
    assert rc == 0
    assert (f"`musicsage --data-dir '{library}' playlists ID` lists one's tracks, "
            f"`musicsage --data-dir '{library}' suggest ID` tracks to add to it") in out, out


def test_a_note_on_stderr_names_the_library(library, capsys):
    rc, _out, err = _run(capsys, "--data-dir", str(library), "map")
    assert rc == 0
    assert f"or musicsage --data-dir '{library}' embed)" in err, err


def test_a_json_field_holding_a_command_names_the_library(library, capsys):
    """The JSON stays valid JSON whatever the folder's name needs to be quoted."""
    odd = library.parent / "it's \"odd\""
    library.rename(odd)
    rc, out, _err = _run(capsys, "--data-dir", str(odd), "map", "--json")
    assert rc == 0
    said = json.dumps(json.loads(out))
    assert "musicsage embed" not in said
    told = re.findall(r"or musicsage (--data-dir .*?) embed\)", json.dumps(json.loads(out)))
    assert told and shlex.split(json.loads(f'"{told[0]}"')) == ["--data-dir", str(odd)], out


def test_a_command_naming_a_library_already_is_not_given_another(tmp_path, capsys):
    missing = tmp_path / "no lib"
    rc, _out, err = _run(capsys, "--data-dir", str(missing), "stats")
    assert rc == 1
    assert err.count("--data-dir") == 3, err  # each of the two commands once, and the advice


def test_the_default_library_s_commands_are_left_short(library, capsys, monkeypatch):
    monkeypatch.setattr("musicsage.context.default_data_dir", lambda: library)
    rc, _out, err = _run(capsys, "--data-dir", str(library), "radio", "t3")
    assert rc == 1 and err.strip().endswith("(Compute embeddings in the window, or "
                                            "musicsage embed)"), err


def test_the_streams_are_given_back_and_the_library_forgotten(library, capsys):
    before = sys.stdout, sys.stderr
    _run(capsys, "--data-dir", str(library), "radio", "t3")
    assert (sys.stdout, sys.stderr) == before
    assert on_library("run `musicsage embed`") == "run `musicsage embed`"


def test_a_progress_bar_s_words_name_the_library(tmp_path, capsys):
    """What a progress bar writes on stderr (tqdm writes to the stream it was given when
    made): a stopped stage's last words can tell a command too."""
    from tqdm import tqdm

    with told_on_library():
        ran_on(tmp_path / "lib")
        bar = tqdm(total=2, desc="embed", file=sys.stderr)
        bar.set_postfix_str("stopped: run `musicsage embed` again")
        bar.close()
    assert f"run `musicsage --data-dir {tmp_path / 'lib'} embed` again" in capsys.readouterr().err


@pytest.mark.parametrize("given", ["relative", "tilde", "uri"])
def test_the_command_shown_pastes_and_works(library, capsys, monkeypatch, given):
    """However ``--data-dir`` was given, the command told, pasted in another folder, opens
    that library."""
    monkeypatch.setenv("HOME", str(library.parent))
    monkeypatch.chdir(library.parent)
    data_dir = {"relative": "my lib", "tilde": "~/my lib", "uri": library.as_uri()}[given]
    _rc, _out, err = _run(capsys, "--data-dir", data_dir, "radio", "t3")
    told = re.search(r"or musicsage (.*) embed\)", err)
    assert told, err
    monkeypatch.chdir("/")
    rc, out, _err = _run(capsys, *shlex.split(told.group(1)), "stats", "--json")
    assert rc == 0 and json.loads(out)["tracks"]["total"] == 4, out



@pytest.fixture(scope="module")
def odd_names(tmp_path_factory):
    """A library whose music folder and a track's title hold "`musicsage embed`" (any words a
    user may give a folder), two of its three tracks in a playlist, all embedded."""
    import numpy as np
    import soundfile as sf

    root = tmp_path_factory.mktemp("odd")
    band = root / "music" / "`musicsage embed` band"
    band.mkdir(parents=True)
    for i, name in enumerate(["`musicsage embed` now", "plain", "other"]):
        t = np.arange(16000) / 16000
        sf.write(str(band / f"{name}.wav"), 0.3 * np.sin(2 * np.pi * (220 + 90 * i) * t), 16000)
    (root / "mix.m3u").write_text(f"{band / '`musicsage embed` now.wav'}\n{band / 'plain.wav'}\n")
    lib = root / "lib"
    assert main(["--data-dir", str(lib), "scan", str(root / "music"), "--playlists",
                 str(root / "mix.m3u")]) == 0
    assert main(["--data-dir", str(lib), "embed", "--model", "spectral"]) == 0
    return lib, band


def test_a_track_s_path_and_title_in_json_are_never_rewritten(odd_names, capsys):
    """``--data-dir`` pushed into a path named a file that is not there."""
    lib, band = odd_names
    rc, out, _err = _run(capsys, "--data-dir", str(lib), "playlists", "mix", "--json")
    assert rc == 0
    tracks = json.loads(out)["tracks"]
    assert [t["path"] for t in tracks] == [str(band / "`musicsage embed` now.wav"),
                                           str(band / "plain.wav")], out
    assert all(Path(t["path"]).is_file() for t in tracks)
    assert tracks[0]["title"] == "`musicsage embed` now", out


def test_a_listing_s_rows_are_never_rewritten(odd_names, capsys):
    lib, _band = odd_names
    rc, out, _err = _run(capsys, "--data-dir", str(lib), "similar", "plain")
    assert rc == 0
    assert "`musicsage embed` now" in out and "--data-dir" not in out, out
    rc, out, _err = _run(capsys, "--data-dir", str(lib), "playlists", "mix")
    assert rc == 0
    assert "`musicsage embed` now" in out and "--data-dir" not in out, out


def test_json_message_fields_alone_are_told(tmp_path):
    """A note, a reason: the command line's words, told on the library; the record beside them
    (its path, its title) kept as it is."""
    record = {"path": "/m/`musicsage embed` band/a.wav", "title": "`musicsage embed` now",
              "reason": "gone: run `musicsage embed`"}
    with told_on_library():
        ran_on(tmp_path / "lib")
        told = in_data({"notes": ["run `musicsage train`"], "skipped": [record], "tracks": [record],
                        "similar": {"notes": {"graph": "none yet (Retrain in the window, or "
                                                       "musicsage train)"}}})
    option = f"--data-dir {tmp_path / 'lib'} "
    assert told["notes"] == [f"run `musicsage {option}train`"]
    assert told["similar"]["notes"]["graph"].endswith(f"or musicsage {option}train)")
    for kept in (told["skipped"][0], told["tracks"][0]):
        assert kept["path"] == record["path"] and kept["title"] == record["title"]
        assert kept["reason"] == f"gone: run `musicsage {option}embed`"


def test_json_of_the_default_library_is_not_copied():
    """Nothing to tell: the output is written as it is, not copied string by string first
    (a quarter of ``--json``'s time on 28,000 tracks)."""
    data = {"tracks": [{"path": "/m/a.wav", "note": "run `musicsage embed`"}]}
    with told_on_library():
        ran_on(None)
        assert in_data(data) is data


def test_a_run_inside_another_gives_the_outer_run_its_library_back(library, tmp_path, capsys):
    outer = tmp_path / "outer"
    with told_on_library():
        ran_on(outer)
        _run(capsys, "--data-dir", str(library), "radio", "t3")
        assert on_library("`musicsage embed`") == f"`musicsage --data-dir {outer} embed`"


def test_as_default_strips_the_option_only_where_a_command_starts(tmp_path):
    """A doubled option, or one in a path, is left for the test to see."""
    from hints_told_support import as_default

    option = f"--data-dir {tmp_path / 'lib'} "
    said = (f"run `musicsage {option}{option}embed`, or musicsage {option}train; "
            f"files in /m/{option}x")
    assert as_default(said, tmp_path / "lib") == (f"run `musicsage {option}embed`, or "
                                                  f"musicsage train; files in /m/{option}x")


def test_a_watch_stopped_in_a_batch_names_the_library_on_stdout(tmp_path):
    """stdout is not rewritten: the watch's line tells its command naming the library itself."""
    from types import SimpleNamespace

    from musicsage.commands.watching import _rest

    with told_on_library():
        ran_on(tmp_path / "lib")
        said = _rest(None, SimpleNamespace(interrupted=True))  # type: ignore[arg-type]
    assert said == f"; run `musicsage --data-dir {tmp_path / 'lib'} embed` to do the rest"


def test_a_folder_named_like_a_command_in_a_told_message_keeps_its_name(tmp_path, capsys):
    """``forget`` of a folder named "`musicsage embed` band" under ``--data-dir L``: the
    folder's name in the line was rewritten ("…/`musicsage --data-dir L embed` band is not
    one of the library's music folders"), naming a folder that is not there."""
    from musicsage.cli import main

    music = tmp_path / "music" / "`musicsage embed` band"
    music.mkdir(parents=True)
    lib = tmp_path / "lib L"
    assert main(["--data-dir", str(lib), "scan", str(tmp_path / "music")]) in (0, 1)
    capsys.readouterr()
    main(["--data-dir", str(lib), "forget", str(music)])
    err = capsys.readouterr().err
    assert str(music) in err and "--data-dir" not in err.split(str(tmp_path / "music"))[1], err
