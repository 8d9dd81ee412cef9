"""Helpers for the robustness corpus: run the real CLI, and check that nothing was lost.

Every case in this folder asserts what a user sees and keeps: the exit code, the one-line
message (never a traceback), and that the library database, the user's files and the
previous model are as they were. A plain module (not conftest) with a name unique across
tests/, so ``from robust_support import …`` is unambiguous.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from library_audio import write_audio  # noqa: F401  (re-exported; on the path: conftest.py)

REPO = Path(__file__).resolve().parents[2]

TIMESTAMP_COLUMNS = {"added_at", "updated_at", "imported_at", "created_at", "applied_at"}


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a CLI child: this checkout first on the path, no Qt display."""
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    env.update(extra)
    return env


def cli(*args: str | bytes, data_dir: Path | None = None, timeout: float = 180,
        prefix: list[str] | None = None, env: dict | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m musicsage ARGS [--data-dir D]`` in a child process; text out (undecodable
    bytes as U+FFFD). ``prefix`` wraps the command (e.g. dropping privileges); ``cwd``: where
    it runs (default: the checkout)."""
    argv = [sys.executable, "-m", "musicsage", *[os.fsdecode(a) for a in args]]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    out = subprocess.run((prefix or []) + argv, capture_output=True, timeout=timeout,
                         cwd=cwd or REPO, env=env or child_env())
    out.stdout = out.stdout.decode("utf-8", "replace")
    out.stderr = out.stderr.decode("utf-8", "replace")
    return out


SHOWN_WARNINGS_IGNORED = (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                          ResourceWarning)
"""What Python's default warning filters keep off a child's stderr (outside ``__main__``)."""


def cli_in_process(capture, *args: str | bytes,
                   data_dir: Path | None = None) -> subprocess.CompletedProcess:
    """:func:`cli` without the child: ``musicsage ARGS [--data-dir D]`` through
    :func:`musicsage.cli.main`, the function ``python -m musicsage`` runs, in this process.
    Returns what :func:`cli` does (exit code, stdout, stderr), so the same assertions apply.

    Why: each :func:`cli` call pays 4–5 s of interpreter and torch/dgl start-up before a
    ``train``/``eval`` refusal; here that is paid once per test run. Keep one :func:`cli`
    case per command path, proving the real process prints the line and exits with the code.

    ``capture`` is pytest's ``capfd`` (what the process writes to fds 1 and 2 too, as a
    child's pipes would hold) or ``capsys``; what was captured before the call is dropped.
    The working directory is the test's (``monkeypatch.chdir``), not the checkout; the
    environment is the test's too (no ``env=``). What pytest intercepts that a child prints
    is put back on stderr: warnings (as far as the default filters show them) and log records
    (logging's last-resort handler). The library connections the command opened are closed,
    as at a child's exit. Fails the test if the call leaves process-wide state changed: signal
    handlers, the root logger's handlers, the environment, the working directory, torch's
    thread count.
    """
    argv = [os.fsdecode(a) for a in args]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    before, modules = _process_state(), set(sys.modules)
    connections = _cached_connections()
    kept = set(connections)
    capture.readouterr()
    try:
        code = _run_main(argv)
    finally:
        for key in set(connections) - kept:  # a child's exit closes them
            connections.pop(key).close()
    out, err = capture.readouterr()
    _assert_left_as_found(before, modules)
    return subprocess.CompletedProcess(["musicsage", *argv], code, out, err)


def _run_main(argv: list[str]) -> int:
    """``main(argv)``'s exit code as the interpreter makes it, with the warnings and log
    records a child would print on stderr (:func:`cli_in_process`)."""
    from musicsage.cli import main

    log = logging.StreamHandler(sys.stderr)  # the capture's stream, as logging.lastResort
    log.setLevel(logging.WARNING)
    logging.getLogger().addHandler(log)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: --help, a usage error (exit 2)
                code = exc.code
                if not (code is None or isinstance(code, int)):  # as the interpreter does
                    print(code, file=sys.stderr)
                    code = 1
    finally:
        logging.getLogger().removeHandler(log)
    for w in caught:
        if not issubclass(w.category, SHOWN_WARNINGS_IGNORED):
            sys.stderr.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))
    return code or 0


def _cached_connections() -> dict:
    """This thread's cached library connections (:func:`musicsage.library.db.connect`'s),
    by database path."""
    from musicsage.library import db

    return db._local.__dict__.setdefault("conns", {})


def _process_state() -> dict:
    """What one in-process command must leave as it found it (:func:`cli_in_process`)."""
    state = {"signals": {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM,
                                                           signal.SIGHUP)},
             "log handlers": list(logging.getLogger().handlers), "cwd": os.getcwd(),
             "environ": frozenset(os.environ.items())}
    if "torch" in sys.modules:  # imported by an earlier call: its thread count must be back
        state["torch threads"] = sys.modules["torch"].get_num_threads()
    return state


def _assert_left_as_found(before: dict, modules: set[str]) -> None:
    """Fail naming what differs from ``before``. A module imported for the first time may
    add an environment variable (sklearn: ``KMP_DUPLICATE_LIB_OK``), as in any process; a
    variable changed or removed, or one added by a call that imported nothing, is a leak."""
    after = _process_state()
    if not modules.issuperset(sys.modules):
        known = dict(before["environ"])
        after["environ"] = frozenset(item for item in after["environ"] if item[0] in known)
    changed = {key: (before[key], after[key]) for key in before if after[key] != before[key]}
    if "environ" in changed:
        changed["environ"] = sorted(before["environ"] ^ after["environ"])
    assert not changed, f"the command left process-wide state changed: {changed}"


class StringCapture:
    """What :func:`cli_in_process` takes as ``capture`` where pytest's ``capsys`` cannot be
    had: a module- or session-scoped fixture (pytest's capture fixtures are per test). Inside
    ``with StringCapture() as capture:`` ``sys.stdout`` and ``sys.stderr`` write into it;
    ``readouterr()`` returns and drops what they wrote, as ``capsys.readouterr()`` does."""

    def __enter__(self) -> "StringCapture":
        self._out, self._err = io.StringIO(), io.StringIO()
        self._saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self._out, self._err
        return self

    def __exit__(self, *exc) -> None:
        sys.stdout, sys.stderr = self._saved

    def readouterr(self) -> tuple[str, str]:
        out, err = self._out.getvalue(), self._err.getvalue()
        for stream in (self._out, self._err):
            stream.seek(0)
            stream.truncate()
        return out, err


@contextlib.contextmanager
def file_size_limit(limit: int):
    """Inside the block this process writes no file past ``limit`` bytes: what ``prlimit
    --fsize=LIMIT`` does to a child, for :func:`cli_in_process`. A write past it fails with
    EFBIG ("File too large"), as a write to a full disk fails: Python ignores SIGXFSZ, so no
    signal ends the process. Only the soft limit is lowered, and it is put back after."""
    import resource

    assert signal.getsignal(signal.SIGXFSZ) == signal.SIG_IGN, "SIGXFSZ would end the run"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def lines(stream: str) -> list[str]:
    """Printed lines without progress bars (tqdm redraws with ``\\r``; keep what came last)."""
    out = []
    for line in stream.split("\n"):
        text = line.rsplit("\r", 1)[-1].strip()
        if text:
            out.append(text)
    return out


def assert_one_line_failure(proc: subprocess.CompletedProcess, command: str, *fragments: str) -> str:
    """Exit 1, no traceback, and exactly one ``musicsage COMMAND: reason`` line naming the
    fragments; returns that line."""
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    found = [line for line in lines(proc.stderr) if line.startswith(f"musicsage {command}: ")]
    assert len(found) == 1, proc.stderr[-2000:]
    for fragment in fragments:
        assert fragment in found[0], found[0]
    return found[0]


def assert_clean_success(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]


def db_snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (timestamps left out), sorted: equal snapshots = same library."""
    uri = "file:" + str(db_path) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in TIMESTAMP_COLUMNS]
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def tree_snapshot(root: Path | bytes) -> dict[bytes, str]:
    """Every entry under ``root`` (bytes names: odd ones too): file → sha256, link → target."""
    root = os.fsencode(root)
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root)
            if os.path.islink(full):
                out[rel] = "link:" + os.fsdecode(os.readlink(full))
            elif os.path.isfile(full):
                with open(full, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
            elif os.path.isdir(full):
                out[rel] = "dir"
            else:
                out[rel] = "special"
    return out


def tone_file(path, seconds: float = 2.0, freq: float = 440.0, sr: int = 22050) -> Path:
    """A WAV/FLAC/MP3 tone (format by extension); ``path`` may be bytes (odd names)."""
    import soundfile as sf

    raw = os.fsencode(path)
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    t = np.arange(int(seconds * sr)) / sr
    x = (0.3 * np.sin(2 * np.pi * freq * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    ext = os.path.splitext(raw)[1].lower()
    fmt = {b".wav": ("WAV", "PCM_16"), b".flac": ("FLAC", "PCM_16"),
           b".mp3": ("MP3", "MPEG_LAYER_III"), b".ogg": ("OGG", "VORBIS")}[ext]
    sf.write(raw, x, sr, format=fmt[0], subtype=fmt[1])
    return path


def without_dac_override() -> list[str]:
    """A command prefix under which file permissions apply even to root.

    The tests run as root, whom a mode of 000 does not stop. ``setpriv`` drops the two
    capabilities that bypass permission checks (the process stays uid 0, so the interpreter
    and the checkout stay readable): a file of mode 000 is then unreadable, a folder of mode
    0555 unwritable, as for any user. Skips the test where that cannot be done.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and no setpriv to drop CAP_DAC_OVERRIDE: "
                    "permissions would not apply")
    probe = subprocess.run([setpriv, "--bounding-set", "-dac_override,-dac_read_search",
                            "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode()[-200:]}")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


SLOW_SCAN = textwrap.dedent("""
    # A scan that takes its time (tests kill it, or race another scan against it):
    # python slow_scan.py DATA_DIR MUSIC [PLAYLISTS]; prints "probed" per file read, then
    # waits $SLOW_PROBE_S seconds (default 0.03).
    import os, sys, time
    from musicsage.context import AppContext
    from musicsage.library import tags
    from musicsage.library.db import connect
    from musicsage.library.playlists import import_playlists
    from musicsage.library.scan import resolve_roots, scan_roots

    def slow_probe(path, fmt):
        info = tags.probe(path, fmt)
        print("probed", flush=True)
        time.sleep(float(os.environ.get("SLOW_PROBE_S", "0.03")))
        return info

    conn = connect(AppContext.create(sys.argv[1]))
    scan_roots(conn, resolve_roots([sys.argv[2]]), prober=slow_probe, batch_size=5)
    if len(sys.argv) > 3:
        import_playlists(conn, [sys.argv[3]])
    print("finished", flush=True)
""")
"""Batches of 5 files: a scan killed mid-way has committed a multiple of 5 tracks."""


def start_script(source: str, tmp_path: Path, *args: str, env: dict | None = None,
                 **popen) -> subprocess.Popen:
    """Run ``source`` as a Python script in a child process (this checkout on the path)."""
    script = tmp_path / "child_script.py"
    script.write_text(source)
    return subprocess.Popen([sys.executable, str(script), *args], cwd=REPO,
                            env=env or child_env(), **popen)


def scanned_library(root: Path, freqs: dict[str, float], *, seconds: float = 1.0,
                    embed: bool = True, capture=None) -> tuple[Path, Path, dict[str, Path]]:
    """Tones named after ``freqs`` in ``root/music``, scanned (and spectral-embedded) into the
    library at ``root/data`` through the CLI: (music, data dir, name → path). ``capture``
    (``capfd``, ``capsys``, a :class:`StringCapture`): through :func:`cli_in_process`, not in
    child processes (for a case whose point is what follows, not the building)."""
    music, data = root / "music", root / "data"
    files = {name: tone_file(music / name, seconds=seconds, freq=f) for name, f in freqs.items()}
    run = cli if capture is None else lambda *args, **kw: cli_in_process(capture, *args, **kw)
    assert_clean_success(run("scan", str(music), data_dir=data))
    if embed:
        assert_clean_success(run("embed", "--model", "spectral", data_dir=data))
    return music, data, files


def json_errors(stdout: str) -> dict[str, str]:
    """A ``scan --json`` report's errors: file (or folder) name → reason."""
    return {e["path"].rsplit("/", 1)[-1]: e["reason"] for e in json.loads(stdout)["errors"]}


def trained_dataset_library(root: Path, *, n_tracks: int, n_playlists: int,
                            steps: int = 10, capture=None) -> Path:
    """A generated dataset dir (``root/ds``) imported into the library at ``root/data`` and
    trained for ``steps`` steps through the CLI; returns the data dir. ``capture``: through
    :func:`cli_in_process` (as for :func:`scanned_library`): a ``train`` child pays 5-10 s
    of torch/dgl imports before its first step."""
    from musicsage.graph.synthetic import hidden_factor_data, write_dataset_dir

    dataset = write_dataset_dir(hidden_factor_data(n_tracks=n_tracks, n_playlists=n_playlists),
                                root / "ds")
    data = root / "data"
    if capture is not None:
        assert_clean_success(cli_in_process(capture, "import", str(dataset), data_dir=data))
        assert_clean_success(cli_in_process(capture, "train", "--max-steps", str(steps),
                                            data_dir=data))
        return data
    assert_clean_success(cli("import", str(dataset), data_dir=data))
    assert_clean_success(cli("train", "--max-steps", str(steps), data_dir=data,
                             env=child_env(OMP_NUM_THREADS="1")))
    return data


def dead_pid() -> int:
    """The id of a process that has finished: what a killed writer's temporary names."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def one_tone_folder(tmp_path: Path) -> Path:
    """A music folder holding one 1-s tone (``tmp_path/music/tone.wav``): the least a scan
    adds a track from, for tests about where the library may or may not be written."""
    import soundfile as sf

    music = tmp_path / "music"
    music.mkdir()
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)
    sf.write(music / "tone.wav", tone, 22050)
    return music

