"""Command-line conventions shared by every subcommand."""

from __future__ import annotations

import json

import pytest

from musicsage.cli import build_parser, main


@pytest.fixture
def library(ctx) -> str:
    """An empty library's data dir: every command but scan, import and demo needs one
    (tests/test_cli_missing_library.py)."""
    from musicsage.library.db import connect

    connect(ctx)
    return str(ctx.data_dir)


@pytest.mark.parametrize("before", [True, False])
def test_data_dir_is_honoured_before_or_after_the_subcommand(tmp_path, capsys, before):
    target, music = tmp_path / "lib", tmp_path / "music"
    music.mkdir()
    for command in (["scan", str(music)], ["stats"]):
        argv = (["--data-dir", str(target), *command, "--json"] if before
                else [*command, "--data-dir", str(target), "--json"])
        capsys.readouterr()
        assert main(argv) == 0
        assert (target / "library.sqlite3").is_file()
    assert json.loads(capsys.readouterr().out)["tracks"]["total"] == 0


def test_every_subcommand_accepts_data_dir():
    parser = build_parser()
    for command in ["scan", "embed", "train", "eval", "map", "stats", "demo"]:
        args = parser.parse_args([command, "--data-dir", "/x"])
        assert args.data_dir == "/x"


def test_expected_failure_is_one_line_on_stderr_and_nonzero(tmp_path, capsys):
    code = main(["scan", str(tmp_path / "does-not-exist"), "--data-dir", str(tmp_path / "d")])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and err.startswith("musicsage scan:")


@pytest.mark.parametrize("argv", [["embed", "--limit", "-1"], ["embed", "--limit", "0"],
                                  ["tags", "--library", "--limit", "-1"]])
def test_a_limit_below_one_is_refused_in_one_line(library, capsys, argv):
    """`embed --limit -1` used to answer 'embedded 0 of 0 tracks needing it', as if the
    library had nothing to embed."""
    code = main(argv + ["--data-dir", library])
    err = capsys.readouterr().err.strip()
    assert code == 1 and err.endswith("--limit must be at least 1")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("argv, said", [
    (["tags", "--library", "--top", "5"], "--top goes with FILE"),
    (["tags", "--library", "--model", "MTT_musicnn"], "--model goes with FILE"),
    (["tags", "song.wav", "--limit", "3"], "--limit goes with --library"),
])
def test_a_tags_option_of_the_other_mode_is_refused_not_ignored(library, capsys, argv, said):
    """`tags --library --top 3` printed the same counts as without --top: the option did
    nothing, and said nothing."""
    code = main(argv + ["--data-dir", library])
    err = capsys.readouterr().err.strip()
    assert code == 1 and said in err and len(err.splitlines()) == 1


def test_every_command_has_its_handler():
    from musicsage.cli import HANDLERS

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(commands) == set(HANDLERS)


@pytest.mark.parametrize("command", ["train", "eval"])
def test_graph_device_help_says_what_is_accepted_and_that_auto_is_the_default(command):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    device = next(a for a in sub._actions if a.dest == "device")
    assert device.default == "auto"
    assert all(word in device.help for word in ("auto", "cpu", "cuda", "refused"))


def test_an_unknown_graph_device_is_refused_in_one_line(library, capsys):
    assert main(["train", "--device", "gpu", "--data-dir", library]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "musicsage train: unknown device 'gpu': use auto, cpu, cuda or cuda:N"


def test_tags_help_and_docs_say_how_much_of_a_file_is_read():
    """A long file (a DJ mix, an audiobook) is tagged from its start only; neither the help
    nor docs/cli.md said so."""
    from pathlib import Path

    from musicsage.audio.musicnn.tagger import MAX_TAG_SECONDS

    said = f"first {MAX_TAG_SECONDS / 60:g} minutes"
    parser = build_parser()
    tags = next(a for a in parser._actions if a.dest == "command").choices["tags"]
    assert said in tags.description
    docs = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    row = next(line for line in docs.splitlines() if line.startswith("| `tags FILE"))
    assert said in row


def test_embed_model_help_says_the_library_keeps_its_model_and_the_order_after_that():
    """`embed --help` said the default was "the best available": an `embed` with no --model
    keeps the library's audio model, and only a library without vectors takes the first
    family, in the registry's order, whose weights are on disk (audio/selection.py)."""
    from musicsage.audio_models import FAMILIES

    parser = build_parser()
    embed = next(a for a in parser._actions if a.dest == "command").choices["embed"]
    model = next(a for a in embed._actions if a.dest == "model")
    assert "library's own audio model" in model.help
    assert f"else the first of {', '.join(f.name for f in FAMILIES)} whose weights are on disk" \
        in model.help
    assert "best available" not in model.help


@pytest.mark.parametrize("argv, said", [
    (["--hop", "0"], "--hop must be a positive number of seconds, not 0"),
    (["--hop", "nan"], "--hop must be a positive number of seconds, not nan"),
    (["--hop", "-1", "--model", "musicnn"], "--hop must be a positive number of seconds, not -1"),
    (["--max-seconds", "inf"], "--max-seconds must be a positive number of seconds, not inf"),
    (["--max-seconds", "0", "--model", "spectral"],
     "--max-seconds must be a positive number of seconds, not 0"),
])
def test_embed_seconds_are_refused_naming_the_option_and_value(library, capsys, argv, said):
    """`embed --hop 0` said "max_seconds and hop must be positive and finite" (MusiCNN's
    check), `--model spectral --max-seconds 0` "spectral policy needs a finite max_seconds > 0
    …": neither named the option nor the value; on a library with nothing to embed it was
    not refused at all. One line per option, whatever the model, before any work."""
    code = main(["embed", *argv, "--data-dir", library])
    err = capsys.readouterr().err.strip()
    assert code == 1 and err == f"musicsage embed: {said}"
