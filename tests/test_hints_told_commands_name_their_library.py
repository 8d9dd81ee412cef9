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

import pytest

from musicsage.cli import main
from musicsage.commands.told_commands import on_library, ran_on, told_on_library


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

