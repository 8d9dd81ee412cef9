"""Issue 16 item 5: one line instead of a traceback, and nothing lost.

Every case runs the real command line (in a child process, or its main in this process
where no child is needed: ``cli_in_process``) and asserts the exit code, the one line
``musicsage COMMAND: reason`` (no traceback), and that the library, the user's files and the
previous model are as they were: ``--data-dir`` naming a file, an empty ``--data-dir``, a
folder that cannot be written, ``export`` into an existing file, track ids SQLite cannot hold,
a database another process keeps locked, a reader that closes the pipe, a read-only library
with ``train``/``import``/``demo``, and a bug (one line naming the crash log that holds the
traceback).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from robust_support import (REPO, StringCapture, assert_clean_success, assert_one_line_failure,
                            child_env, cli, cli_in_process, db_snapshot, file_size_limit, lines,
                            scanned_library, start_script, tone_file, trained_dataset_library,
                            tree_snapshot, without_dac_override)
from test_filesystem_traps import modes


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A library imported from a generated dataset dir with a trained model (copied per test;
    160 tracks: ``similar -k 159 --json`` prints more than a pipe's buffer holds). Built
    in this process: the children of the cases below read it."""
    root = tmp_path_factory.mktemp("trained")
    with StringCapture() as capture:
        trained_dataset_library(root, n_tracks=160, n_playlists=16, capture=capture)
    return root


@pytest.fixture
def library(trained, tmp_path) -> Path:
    shutil.copytree(trained / "data", tmp_path / "data")
    return tmp_path / "data"


def test_data_dir_naming_a_file_is_refused_and_the_file_kept(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("mine\n")
    proc = cli("stats", data_dir=target)
    assert_one_line_failure(proc, "stats", str(target), "is a file")
    assert target.read_text() == "mine\n"
    below = cli("scan", str(tmp_path), data_dir=target / "library")
    assert_one_line_failure(below, "scan", "cannot create the library folder", "Not a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_empty_data_dir_is_refused_and_nothing_is_created(tmp_path):
    work = tmp_path / "cwd"
    work.mkdir()
    for args in (("stats", "--data-dir", ""), ("--data-dir", "", "scan", str(work))):
        proc = cli(*args, cwd=work)
        assert_one_line_failure(proc, args[0] if args[0] != "--data-dir" else "scan",
                                "--data-dir is empty", "nothing was created")
    assert list(work.iterdir()) == []


def test_a_data_dir_link_to_nowhere_or_a_loop_is_refused_and_nothing_is_created(tmp_path):
    """A link to an unmounted drive made an empty library at its target (``/media/usb/lib``
    on the root filesystem); a loop of links was a crash ("this is a bug")."""
    target = tmp_path / "unmounted" / "library"
    (tmp_path / "dangling").symlink_to(target)
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    proc = cli("stats", data_dir=tmp_path / "dangling")
    assert_one_line_failure(proc, "stats", f"is a link to {target}, which does not exist",
                            "nothing was created")
    for where in (tmp_path / "loop-a", tmp_path / "loop-a" / "inside"):
        proc = cli("stats", data_dir=where)
        assert_one_line_failure(proc, "stats", "a loop of symbolic links", "nothing was created")
    assert not (tmp_path / "unmounted").exists()


def test_demo_sizes_out_of_range_are_refused_not_read_as_the_default(tmp_path):
    """``demo --tracks 0`` started the full 240-track build (0 read as 'not given'), and no
    size was too large."""
    music = tmp_path / "demo-music"
    for args, words in ((("--tracks", "0"), "the demo makes 8 to 20,000 tracks"),
                        (("--tracks", "100000000"), "the demo makes 8 to 20,000 tracks"),
                        (("--seconds", "0"), "between 1 and 600 seconds")):
        proc = cli("demo", str(music), *args, "--until", "generate", data_dir=tmp_path / "d")
        assert_one_line_failure(proc, "demo", words)
    assert not music.exists()


def test_an_unwritable_data_dir_is_one_line(tmp_path):
    prefix = without_dac_override()
    locked, music = tmp_path / "locked", tmp_path / "music"
    locked.mkdir()
    music.mkdir()
    with modes((locked, 0o555)):  # scan: a command that starts a library where there is none
        inside = cli("scan", str(music), data_dir=locked / "library", prefix=prefix)
        empty = cli("scan", str(music), data_dir=locked, prefix=prefix)
    # the words of a library that cannot be made, naming the read-only folder above it
    assert_one_line_failure(inside, "scan", f"cannot make a library in {locked / 'library'}: "
                            f"the folder above it, {locked}, is not writable (Permission "
                            "denied): choose another --data-dir or make it writable")
    assert_one_line_failure(empty, "scan", str(locked))
    assert list(locked.iterdir()) == []


def test_a_read_only_library_refuses_train_import_demo_and_tags_in_one_line(library,
                                                                          trained):
    prefix = without_dac_override()
    db = library / "library.sqlite3"
    before_db, before_files = db_snapshot(db), tree_snapshot(library)
    read_only = [(p, 0o555 if p.is_dir() else 0o444) for p in [library, *library.rglob("*")]]
    with modes(*read_only):
        runs = {"train": cli("train", "--max-steps", "5", data_dir=library, prefix=prefix),
                "import": cli("import", str(trained / "ds"), data_dir=library, prefix=prefix),
                "demo": cli("demo", str(library.parent / "demo-music"), "--tracks", "6",
                            data_dir=library, prefix=prefix),
                # it tagged, threw the tags away and said it had tagged, every run
                "tags": cli("tags", "--library", "--limit", "1", data_dir=library,
                            prefix=prefix)}
        similar = cli("similar", "1", "--json", data_dir=library, prefix=prefix)
    for command, proc in runs.items():
        assert_one_line_failure(proc, command, "not writable")
    assert_clean_success(similar)  # reading still works, the graph model included
    assert len(json.loads(similar.stdout)["graph"]) == 10
    assert db_snapshot(db) == before_db and tree_snapshot(library) == before_files
    assert not (library.parent / "demo-music").exists()


def test_export_into_an_existing_file_leaves_it_alone(library, tmp_path):
    target = tmp_path / "dataset.csv"
    target.write_text("track_id\n1\n")
    before = sha(target)
    proc = cli("export", str(target), data_dir=library)
    assert_one_line_failure(proc, "export", str(target), "is a file", "nothing was written")
    assert sha(target) == before


def test_a_full_disk_while_train_saves_its_model_is_one_line_and_keeps_the_previous(library,
                                                                                     capfd):
    """The disk fills while the new model.pt is written (here: a file-size limit below its
    ~160 KB, which fails the write as a full disk does). torch.save reported that as a
    RuntimeError ("unexpected pos"), a crash with exit 70; it is the system refusing a write,
    one line naming graph_models and saying the previous model stays current and whole. The command
    runs in this process, under the limit ``prlimit --fsize`` gave a child (a child paid
    10 s of imports for it)."""
    db = library / "library.sqlite3"
    before_db, before_models = db_snapshot(db), tree_snapshot(library / "graph_models")
    with file_size_limit(100_000):
        proc = cli_in_process(capfd, "train", "--max-steps", "3", data_dir=library)
    assert_one_line_failure(proc, "train", "File too large", "graph_models",
                            "model 1 stays current")
    assert db_snapshot(db) == before_db
    assert tree_snapshot(library / "graph_models") == before_models
    assert not (library / "crash-logs").exists()
    assert_clean_success(cli_in_process(capfd, "similar", "1", "--space", "graph",
                                        data_dir=library))


def test_a_full_disk_under_train_dataset_out_is_one_line_and_leaves_no_partial_file(trained,
                                                                                   tmp_path,
                                                                                   capfd):
    """``train --dataset DS --out OUT`` where OUT's disk fills while embeddings.npy (~40 KB)
    is written: numpy's writer said only "10240 requested and 7468 written" and left the file
    cut short in OUT. (In this process, under a file-size limit, as the case above.)"""
    out = tmp_path / "out"
    with file_size_limit(30_000):
        proc = cli_in_process(capfd, "train", "--dataset", str(trained / "ds"), "--out",
                              str(out), "--max-steps", "3", data_dir=tmp_path / "data")
    assert_one_line_failure(proc, "train", "File too large", str(out / "embeddings.npy"))
    assert not out.exists()  # no partial file, nor the folder (and its marker) it made


@pytest.mark.parametrize("query", ["9223372036854775808", "-1", "1" * 30, "#" + "9" * 20])
def test_track_ids_that_name_no_track_are_one_line(tmp_path, capfd, query):
    _music, data, _files = scanned_library(tmp_path, {"one.wav": 440, "two.wav": 660},
                                           embed=False, capture=capfd)
    before = db_snapshot(data / "library.sqlite3")
    proc = cli_in_process(capfd, "similar", query, data_dir=data)
    line = assert_one_line_failure(proc, "similar", "no track with id")
    assert query.lstrip("#").lstrip("0") in line or query in line
    assert db_snapshot(data / "library.sqlite3") == before


HOLD_WRITE_LOCK = textwrap.dedent("""
    # python hold.py DB: take the database's write lock, say so, keep it until stdin closes
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM errors WHERE 0")
    print("holding", flush=True)
    sys.stdin.read()
    conn.execute("ROLLBACK")
""")


def test_a_database_locked_past_the_timeout_names_the_holder_and_loses_nothing(tmp_path,
                                                                                capfd):
    """The locked scan runs in a child: the busy timeout is read when the library module is
    imported (``MUSICSAGE_BUSY_TIMEOUT_S``)."""
    music, data, _files = scanned_library(tmp_path, {"one.wav": 440, "two.wav": 660},
                                          embed=False, capture=capfd)
    tone_file(music / "three.wav", seconds=1.0, freq=880)
    db = data / "library.sqlite3"
    before = db_snapshot(db)
    holder = start_script(HOLD_WRITE_LOCK, tmp_path, str(db), stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        proc = cli("scan", str(music), data_dir=data,
                   env=child_env(MUSICSAGE_BUSY_TIMEOUT_S="1"))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    line = assert_one_line_failure(proc, "scan", "locked", f"process {holder.pid}",
                                   "try again")
    assert "child_script.py" in line  # what the holder is, not only its pid
    assert db_snapshot(db) == before
    again = cli_in_process(capfd, "scan", str(music), "--json", data_dir=data)  # lock gone
    assert_clean_success(again)
    assert json.loads(again.stdout)["added"] == 1


def test_a_reader_that_stops_early_is_not_an_error(library):
    """``similar … | head -1``: exit 0 and no traceback (the output is larger than a pipe's
    buffer, so the write after head exits fails with EPIPE)."""
    cmd = [sys.executable, "-m", "musicsage", "similar", "1", "-k", "159", "--json",
           "--data-dir", str(library)]
    writer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                              env=child_env())
    head = subprocess.Popen(["head", "-1"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()
    first, _ = head.communicate(timeout=120)
    err = writer.communicate(timeout=120)[1].decode()
    assert first.decode().strip() == "{"
    assert writer.returncode == 0 and "Traceback" not in err and "Error" not in err, err

    closed = subprocess.run(" ".join(cmd) + " | (exec 0<&-; sleep 3)", shell=True,
                            capture_output=True, cwd=REPO, env=child_env(), timeout=120,
                            executable="/bin/bash")  # the reader is gone before the first write
    assert closed.returncode == 0 and closed.stderr == b"", closed.stderr


CRASHING = textwrap.dedent("""
    # python crash.py ARGS…: the real CLI with one handler replaced by a bug
    import sys
    from musicsage import cli

    def buggy(args, ctx):
        return {}["no such key"]

    cli.HANDLERS["stats"] = buggy
    raise SystemExit(cli.main(sys.argv[1:]))
""")


def test_a_bug_prints_one_line_and_writes_the_traceback_to_a_crash_log(library, tmp_path):
    before = db_snapshot(library / "library.sqlite3")
    script = tmp_path / "crash.py"
    script.write_text(CRASHING)
    proc = subprocess.run([sys.executable, str(script), "stats", "--data-dir", str(library)],
                          capture_output=True, text=True, cwd=REPO, env=child_env(), timeout=60)
    assert proc.returncode == 70, proc.stderr
    assert "Traceback" not in proc.stderr and len(lines(proc.stderr)) == 1, proc.stderr
    line = lines(proc.stderr)[0]
    assert line.startswith("musicsage stats: unexpected error (KeyError") and "bug" in line
    (log,) = (library / "crash-logs").iterdir()
    assert str(log) in line
    text = log.read_text()
    assert "Traceback" in text and "KeyError: 'no such key'" in text and "buggy" in text
    assert db_snapshot(library / "library.sqlite3") == before


def test_expected_failures_of_the_system_are_one_line(library, capsys, monkeypatch):
    """A file or folder the system refuses mid-command (here: simulated in the handler) is
    an expected failure: one line, exit 1, the library folder named when it is the cause."""
    from musicsage import cli

    def refused(args, ctx):
        raise PermissionError(13, "Permission denied", str(ctx.data_dir / "graph_models" / "x"))

    def disk_full(args, ctx):
        raise OSError(28, "No space left on device", "/somewhere/out.csv")

    for fn, fragments in ((refused, ("library folder", "not writable")),
                          (disk_full, ("No space left on device", "/somewhere/out.csv"))):
        monkeypatch.setitem(cli.HANDLERS, "stats", fn)
        assert cli.main(["stats", "--data-dir", str(library)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("musicsage stats: "), err
        for fragment in fragments:
            assert fragment in err, err


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_embed_with_a_frame_length_that_is_no_number_is_one_line_and_records_nothing(tmp_path,
                                                                                      capfd,
                                                                                      value):
    """``embed --max-seconds nan`` passed the ``max_seconds <= 0`` checks (NaN compares false),
    then every good file failed as "no audio could be decoded (empty or truncated file)",
    recorded as an error against it; ``inf`` re-embedded the whole library under a new
    version ("max=inf"), replacing the vectors it had."""
    music, data, files = scanned_library(tmp_path, {"one.wav": 440, "two.wav": 660},
                                         capture=capfd)
    before = db_snapshot(data / "library.sqlite3")
    proc = cli_in_process(capfd, "embed", "--model", "spectral", "--max-seconds", value,
                          data_dir=data)
    assert_one_line_failure(proc, "embed", f"--max-seconds must be a positive number of "
                                           f"seconds, not {value}")
    assert db_snapshot(data / "library.sqlite3") == before
