"""Bad input to the command line, found by an audit (docs/cli.md): control characters in
playlist entries printed raw, a binary file named ``.m3u`` imported as junk entries, dataset
features beyond float32 reported as NaN under a numpy warning, ``embed`` naming a failing file
twice, ``tags`` on a FIFO saying "file not found", ``--m3u ""`` ignored, and a features.json
model id holding a line break accepted. Each is now one clear line (or an escaped name)."""

from __future__ import annotations

import json
import os
import random
import sqlite3

import numpy as np
import pytest
from robust_support import (assert_clean_success, assert_one_line_failure, child_env, cli,
                            cli_in_process, lines, tone_file)

from musicsage.audio import decode
from musicsage.commands.output import failure_line
from musicsage.errors import MusicsageError
from musicsage.library.dataset_features import check_feature_values
from musicsage.library.playlists import PlaylistError, format_for
from musicsage.text import printable

# --- control characters in names from users' files -------------------------------------------


def test_printable_escapes_controls_and_keeps_everything_else():
    assert printable("a\x1b[31mb\x07c\rd\ne\x9bf\x7fg\u2028") == (
        "a\\x1b[31mb\\x07c\\x0dd\\x0ae\\x9bf\\x7fg\\u2028")
    kept = "café 東京 🎵 ..\\Music\\a.mp3 tab-free"
    assert printable(kept) == kept


def test_printable_escapes_bidi_overrides_and_keeps_right_to_left_text():
    """A name with a right-to-left override showed reversed: 'evil\\u202egpj.exe' read as
    'evilexe.jpg', and the words after it on the line were reordered too."""
    assert printable("evil\u202egpj.exe") == "evil\\u202egpj.exe"
    assert printable("a\u202ab\u202cc\u2066d\u2069") == "a\\u202ab\\u202cc\\u2066d\\u2069"
    kept = "שלום עולם مرحبا"
    assert printable(kept) == kept


def test_scan_prints_unresolved_entries_escaped_and_json_keeps_them(tmp_path, capfd):
    music = tmp_path / "music"
    song = tone_file(music / "song.wav", seconds=0.5)
    lists = tmp_path / "lists"
    lists.mkdir()
    raw = ["music/\x1b[31mred.mp3", "music/bell\x07.mp3", "music/c1\x9b.mp3"]
    (lists / "ctl.m3u8").write_text("#EXTM3U\n" + f"{song}\n" + "".join(f"../{r}\n" for r in raw),
                                    encoding="utf-8")
    data = tmp_path / "data"
    proc = cli_in_process(capfd, "scan", str(music), "--playlists", str(lists), data_dir=data)
    assert_clean_success(proc)
    for ch in "\x1b\x07\x9b":
        assert ch not in proc.stdout and ch not in proc.stderr
    shown = [line for line in lines(proc.stdout) if line.startswith("unresolved")]
    assert shown == [f"unresolved #{i + 2}: ../{printable(r)} (no track in the library at this "
                     "location)" for i, r in enumerate(raw)], proc.stdout
    again = json.loads(cli_in_process(capfd, "scan", "--playlists", str(lists), "--json",
                                      data_dir=data).stdout)
    assert [u["raw"] for u in again["playlists"][0]["unresolved"]] == [f"../{r}" for r in raw]


def test_a_one_line_failure_naming_a_file_shows_its_controls_escaped(tmp_path):
    """End to end, in a child process: most cases here call the CLI's main in this process
    (cli_in_process); this proves the real command's line and exit code."""
    proc = cli("scan", str(tmp_path / "gone\x1b[2J"), data_dir=tmp_path / "data")
    line = assert_one_line_failure(proc, "scan", "gone\\x1b[2J")
    assert "\x1b" not in proc.stderr, line


# --- a binary file named like a playlist -------------------------------------------------------


def test_binary_data_is_no_playlist():
    junk = random.Random(0).randbytes(4096)
    for name in ("x.m3u", "x.m3u8", "x.pls"):
        with pytest.raises(PlaylistError, match="not a playlist: binary data"):
            format_for(name).parse(junk, name)
    # no NUL, but control characters throughout: still no text
    with pytest.raises(PlaylistError, match="mostly unprintable"):
        format_for("x.m3u").parse(bytes(range(1, 9)) * 100 + b"\n", "x.m3u")
    # a stray control character in a real playlist is an entry, not a refusal
    parsed = format_for("x.m3u").parse(b"#EXTM3U\nmusic/\x1b[31mred.mp3\nb.mp3\n", "x.m3u")
    assert [e.raw for e in parsed.entries] == ["music/\x1b[31mred.mp3", "b.mp3"]


def test_scan_skips_a_binary_m3u_in_one_line_and_imports_the_rest(tmp_path, capfd):
    music = tmp_path / "music"
    tone_file(music / "café.wav", seconds=0.5)
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "x.m3u").write_bytes(random.Random(1).randbytes(4096))
    (lists / "latin.m3u").write_bytes("#EXTM3U\n../music/café.wav\n".encode("latin-1"))
    data = tmp_path / "data"
    proc = cli_in_process(capfd, "scan", str(music), "--playlists", str(lists), data_dir=data)
    assert_clean_success(proc)
    said = [line for line in lines(proc.stderr) if line.startswith("playlist ")]
    assert said == [f"playlist {lists / 'x.m3u'}: not a playlist: binary data (NUL bytes), "
                    "not text"], proc.stderr
    assert "playlist 'latin' (m3u): 1 entry, 1 resolved, 0 unresolved" in proc.stdout
    with sqlite3.connect(data / "library.sqlite3") as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM playlists")] == ["latin"]


# --- a single audio-named file that is not audio ----------------------------------------------

UNREADABLE = [("song.mp3", random.Random(2).randbytes(3000), "not a readable mp3 file"),
              ("empty.wav", b"", "empty file")]


@pytest.mark.parametrize("name, content, reason", UNREADABLE)
def test_a_scan_of_one_unreadable_file_is_refused_and_makes_nothing(tmp_path, capfd, name,
                                                                    content, reason):
    """``scan junk.mp3`` into a new data dir exited 0, made a library of no tracks and listed
    the file as a music folder. A file that cannot be read is refused in one line, with the
    reason, before anything is made; the same file inside a folder is the scan's error line
    and the scan goes on."""
    music = tmp_path / "music"
    music.mkdir()
    (music / name).write_bytes(content)
    data = tmp_path / "data"
    proc = cli_in_process(capfd, "scan", str(music / name), data_dir=data)
    assert_one_line_failure(proc, "scan", f"{music / name} cannot be read: {reason}",
                            "nothing was scanned")
    assert not data.exists()
    tone_file(music / "fine.wav", seconds=0.3)
    proc = cli_in_process(capfd, "scan", str(music), data_dir=data)
    assert_clean_success(proc)
    assert f"error: {music / name}: {reason}" in proc.stderr


def test_the_scan_use_case_refuses_one_unreadable_file_too(ctx, tmp_path):
    """The window calls the use case: it refuses the file as well, before opening a library."""
    from musicsage.usecases.library import scan_library

    (tmp_path / "empty.flac").write_bytes(b"")
    with pytest.raises(MusicsageError, match="empty.flac cannot be read: empty file"):
        scan_library(ctx, [str(tmp_path / "empty.flac")])
    os.mkfifo(tmp_path / "pipe.mp3")  # never opened: that would wait for a writer
    with pytest.raises(MusicsageError, match="pipe.mp3 cannot be read: not a regular file"):
        scan_library(ctx, [str(tmp_path / "pipe.mp3")])
    assert not (ctx.data_dir / "library.sqlite3").exists()


# --- dataset dirs: values beyond float32, a model id with a line break -------------------------


def dataset(d, features, model_id: str | None = None):
    d.mkdir(parents=True)
    n = len(features)
    (d / "tracks.csv").write_text("track_id\n" + "".join(f"t{i}\n" for i in range(n)))
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 2},t{i}\n" for i in range(n)))
    np.save(d / "features.npy", features)
    if model_id is not None:
        (d / "features.json").write_text(json.dumps({"model_id": model_id}))
    return d


def test_feature_values_beyond_float32_are_named_by_row_and_column():
    feats = np.zeros((4, 3))
    feats[2, 1] = 1e300
    with pytest.raises(MusicsageError, match=r"features.npy: row 2, column 1 \(from 0\): too "
                                             r"large a feature value \(1e\+300"):
        check_feature_values(feats, "features.npy")
    feats[1, 0] = np.nan
    with pytest.raises(MusicsageError, match=r"row 1, column 0 \(from 0\): NaN \(not a "
                                             r"number\); 1 more such value"):
        check_feature_values(feats, "features.npy")
    check_feature_values(np.full((2, 2), 3e38, np.float32), "features.npy")  # fits: no refusal


def overflowing(dtype, value) -> np.ndarray:
    """8 × 4 features of ``dtype`` holding ``value`` at row 3, column 2."""
    feats = np.random.default_rng(0).normal(size=(8, 4)).astype(dtype)
    feats[3, 2] = value
    return feats


@pytest.mark.parametrize("dtype, value, fragment", [
    (np.float64, 1e300, "too large a feature value (1e+300"),
    (np.longdouble, np.longdouble("1e400"), "too large a feature value (1e+400"),
    (np.float64, np.inf, "an infinite value"),
])
def test_every_dataset_reader_refuses_an_overflowing_feature_in_one_line(tmp_path, capfd, dtype,
                                                                         value, fragment):
    d = dataset(tmp_path / "ds", overflowing(dtype, value))
    data = tmp_path / "data"
    for command, args in (("import", [str(d)]),
                          ("train", ["--dataset", str(d), "--out", str(tmp_path / "out")]),
                          ("eval", ["--dataset", str(d), "--seeds", "1"])):
        proc = cli_in_process(capfd, command, *args, data_dir=data)
        assert_one_line_failure(proc, command, "features.npy: row 3, column 2", fragment)
        assert "Warning" not in proc.stderr and "NaN" not in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_the_train_command_refuses_an_overflowing_feature_end_to_end(tmp_path):
    """In a child process (the cases above call the CLI's main in this one): the real
    ``train --dataset`` prints the one line and exits 1, and numpy's warning never reaches
    its stderr (``import`` and ``eval --dataset``: test_malformed_dataset_dirs.py)."""
    d = dataset(tmp_path / "ds", overflowing(np.float64, 1e300))
    out = tmp_path / "out"
    proc = cli("train", "--dataset", str(d), "--out", str(out), data_dir=tmp_path / "data")
    assert_one_line_failure(proc, "train", "features.npy: row 3, column 2",
                            "too large a feature value (1e+300")
    assert "Warning" not in proc.stderr and "NaN" not in proc.stderr, proc.stderr
    assert not out.exists()


def test_a_model_id_with_a_control_character_is_refused(tmp_path, capfd):
    feats = np.ones((8, 4), np.float32)
    data = tmp_path / "data"
    for i, model_id in enumerate(("spectral-x\nfake line", "spectral-\x1b[31mred")):
        d = dataset(tmp_path / f"ds{i}", feats, model_id=model_id)
        proc = cli_in_process(capfd, "import", str(d), data_dir=data)
        assert_one_line_failure(proc, "import", "features.json: model_id holds a control "
                                                "character")
    assert not data.exists(), "a refused import into a new --data-dir makes nothing"
    assert_clean_success(cli_in_process(capfd, "import",
                                        str(dataset(tmp_path / "ok", feats, "spectral-x")),
                                        data_dir=data))


def test_import_from_a_folder_with_braces_in_its_name(tmp_path, capfd):
    """The report line was built with str.format after the folder's name was put in it: a
    folder named ``ds{x}`` crashed ``import`` (KeyError, exit 70) after the import."""
    d = dataset(tmp_path / "ds{x}", np.ones((8, 4), np.float32))
    proc = cli_in_process(capfd, "import", str(d), data_dir=tmp_path / "data")
    assert_clean_success(proc)
    assert f"imported 8 tracks, 2 playlists, 8 memberships from {d}" in proc.stdout


# --- embed's failure lines, tags on a FIFO, --m3u "" -------------------------------------------


def test_a_failure_line_names_the_path_once():
    assert failure_line("/m/gone.wav", "/m/gone.wav: file not found") == "/m/gone.wav: file not found"
    assert failure_line("/m/a.wav", "a.wav: cannot decode (x)") == "/m/a.wav: cannot decode (x)"
    assert failure_line("/m/a\x1b.wav", "a\x1b.wav: bad") == "/m/a\\x1b.wav: bad"
    assert failure_line("/m/a.wav", "other: bad") == "/m/a.wav: other: bad"


def test_embed_names_each_failing_file_once(tmp_path, capfd):
    music = tmp_path / "music"
    for name in ("ok.wav", "gone.wav", "dir.wav", "junk.wav"):
        tone_file(music / name, seconds=0.5)
    data = tmp_path / "data"
    assert_clean_success(cli_in_process(capfd, "scan", str(music), data_dir=data))
    (music / "gone.wav").unlink()
    (music / "dir.wav").unlink()
    (music / "dir.wav").mkdir()
    (music / "junk.wav").write_bytes(random.Random(2).randbytes(3000))
    proc = cli_in_process(capfd, "embed", "--model", "spectral", data_dir=data)
    assert_clean_success(proc)
    failed = sorted(line for line in lines(proc.stderr) if line.startswith("failed: "))
    assert len(failed) == 3, proc.stderr
    for line in failed:
        assert line.count(str(music)) == 1 and line.count(".wav") == 1, line
    assert f"failed: {music / 'gone.wav'}: file not found" in failed
    assert f"failed: {music / 'dir.wav'}: a folder, not an audio file" in failed


def test_tags_of_a_fifo_says_what_it_is_and_never_blocks(tmp_path):
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    with pytest.raises(decode.DecodeError, match="not a regular file"):
        decode.probe(fifo)
    proc = cli("tags", str(fifo), data_dir=tmp_path / "data", timeout=60)
    assert_one_line_failure(proc, "tags", "pipe.wav: not a regular file")
    assert "file not found" not in proc.stderr


@pytest.mark.parametrize("command", [["similar", "1"], ["suggest", "Mix"], ["radio", "1"]])
def test_an_empty_m3u_is_refused(ctx, capfd, command):
    from musicsage.library.db import connect

    connect(ctx)  # an empty library: without one, the command is refused for that
    proc = cli_in_process(capfd, *command, "--m3u", "", data_dir=ctx.data_dir)
    assert_one_line_failure(proc, command[0], "--m3u is empty")


# --- an empty path is never the current folder ---------------------------------------------

EMPTY_PATHS = [
    (["import", "<empty>"], "DIR is empty"),
    (["export", "<empty>"], "DIR is empty"),
    (["scan", "<empty>"], "PATH is empty"),
    (["scan", "--playlists", "<empty>"], "--playlists is empty"),
    (["tags", "<empty>"], "FILE is empty"),
    (["train", "--out", "<empty>"], "--out is empty"),
    (["train", "--dataset", "<empty>", "--out", "x"], "--dataset is empty"),
    (["eval", "--dataset", "<empty>"], "--dataset is empty"),
    (["embed", "--openl3-weights", "<empty>"], "--openl3-weights is empty"),
    (["demo", "<empty>"], "DIR is empty"),
]


@pytest.mark.parametrize("empty", ["", "  "])
@pytest.mark.parametrize("argv, said", EMPTY_PATHS)
def test_an_empty_path_is_refused_never_the_current_folder(ctx, tmp_path, monkeypatch, capsys,
                                                           argv, said, empty):
    """``import ''`` read the current folder ("/work is not a dataset dir"), ``export ''``
    wrote a dataset into it, ``train --out ''`` was ignored, ``--openl3-weights ''`` looked
    for a file named "."; ``'  '`` named a folder of spaces. Each is one line, exit 1, and
    the current folder is left as it was."""
    from musicsage.cli import main
    from musicsage.library.db import connect

    connect(ctx)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    argv = [empty if a == "<empty>" else a for a in argv]
    assert main(["--data-dir", str(ctx.data_dir), *argv]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "not the current folder" in err, err
    assert list(here.iterdir()) == []


def test_the_use_cases_refuse_an_empty_path_too(ctx, tmp_path, monkeypatch):
    """The window calls the use cases directly: they refuse an empty path as well."""
    from musicsage.library.dataset import dataset_source, export_dataset
    from musicsage.library.db import connect
    from musicsage.library.scan import resolve_roots

    monkeypatch.chdir(tmp_path)
    for call in (lambda: dataset_source(" "), lambda: export_dataset(connect(ctx), ""),
                 lambda: resolve_roots(["  "]), lambda: resolve_roots([b""], music=True)):
        with pytest.raises(MusicsageError, match="is empty: name"):
            call()
    assert [p.name for p in tmp_path.iterdir()] == [ctx.data_dir.name]


# --- a stdout that cannot hold every character (Windows redirect, Latin-1 locale) -------------


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_names_a_stdout_cannot_encode_are_escaped_not_a_crash(tmp_path, encoding):
    """``scan … > out.txt`` on Windows (cp1252) or under a Latin-1 locale crashed with a
    UnicodeEncodeError on a name such as "東京" (exit 70, after the scan was stored). Text
    shows it escaped; ``--json`` stays valid JSON that reads back the same name."""
    lists = tmp_path / "lists"
    lists.mkdir()
    raw = "/東京/café.ogg"
    (lists / "mix.m3u8").write_text(f"#EXTM3U\n{raw}\n", encoding="utf-8")
    data = tmp_path / "data"
    env = child_env(PYTHONIOENCODING=encoding)
    proc = cli("scan", "--playlists", str(lists), data_dir=data, env=env)
    assert_clean_success(proc)
    assert "unresolved #1: /\\u6771\\u4eac/caf" in proc.stdout, proc.stdout
    proc = cli("scan", "--playlists", str(lists), "--json", data_dir=data, env=env)
    assert_clean_success(proc)
    assert json.loads(proc.stdout)["playlists"][0]["unresolved"][0]["raw"] == raw
