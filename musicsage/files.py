"""Writing a file so that a reader, or a crash, never meets half of it.

Derived files (map caches, the search index and its metadata, the graph model's vectors for
new tracks) are read by other threads and processes while they are rewritten; a crash in the
middle of a write must leave the previous file, not a torn one.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from musicsage.critical_writes import (  # noqa: F401  names kept here
    critical_write, critical_writes_finished, signals_deferred)
from musicsage.errors import MusicsageError
from musicsage.name_max import MARK as _MARK
from musicsage.name_max import fit_name, temporary_pattern, temporary_prefix


@contextmanager
def atomic_replacement(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (named by process and thread, so two writers never
    share one) for the caller to write; on a clean exit it is renamed over ``path``, so
    readers see the old file or the new one. The temporary file is removed whatever
    happens; ``path`` is untouched when the block raises. Those an earlier writer of ``path``
    left when it was killed (no ``finally`` runs then) go first: :func:`remove_stale_writes`."""
    remove_stale_writes(path)
    tmp = write_temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


_WRITE_EXTRA = len(f"..{'9' * 10}.{'9' * 20}.tmp")
"""Our bytes in a :func:`write_temporary` name: the widest process id and thread id."""


def write_temporary(path: Path) -> Path:
    """The temporary name :func:`atomic_replacement` writes ``path`` under:
    ``.NAME.PID.THREAD.tmp`` (:func:`write_temporary_pattern` knows it again), a long NAME
    cut to fit (:func:`~musicsage.name_max.fit_name`): ``--screenshot`` of a legal name of
    240 bytes said "could not write" as the temporary's name was too long."""
    name = fit_name(path.name, _WRITE_EXTRA)
    return path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")


def write_temporary_pattern(name: str) -> str:
    """A regular expression for the whole of every :func:`write_temporary` name of a file
    called ``name``; group 1 is the writer's process id."""
    return re.escape(f".{fit_name(name, _WRITE_EXTRA)}.") + r"(\d+)\.\d+\.tmp"


def replace_atomically(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` over ``path`` through :func:`atomic_replacement`. ``durable``: fsync
    before the rename, for data that costs work to recompute. A failed write (a full disk)
    names ``path``: the system's error for a write carries no file name — nor does the one
    of the final flush at close, where a small file meets a full disk."""
    with atomic_replacement(path) as tmp:
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
        except OSError as exc:
            exc.filename = exc.filename or os.fspath(path)
            raise


def save_torch_atomically(path: Path, payload, *, durable: bool = False) -> None:
    """``torch.save(payload)`` over ``path`` through :func:`replace_atomically`.

    Serialised in memory first, then written with plain file I/O: a full disk, a file-size
    limit or a read-only folder then arrives as the ``OSError`` it is (one line from the
    command line). Saved straight to a path, torch's own writer reports it as a
    ``RuntimeError`` ("unexpected pos …") that reads like a bug, and leaves the partial file.
    ``durable``: as for :func:`replace_atomically`.
    """
    import io

    import torch

    buffer = io.BytesIO()
    torch.save(payload, buffer)
    replace_atomically(path, buffer.getvalue(), durable=durable)


def save_npy_atomically(path: Path, array, *, durable: bool = False) -> None:
    """``numpy.save(array)`` over ``path`` through :func:`replace_atomically`, serialised in
    memory first: numpy's own file writer reports a full disk as "N requested and M written"
    (no errno, no file) and leaves the file cut short. ``durable``: as there."""
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, array)
    replace_atomically(path, buffer.getvalue(), durable=durable)


def temporary_beside(target: str | os.PathLike) -> tuple[int, str]:
    """``tempfile.mkstemp`` beside ``target`` (a user's playlist, a download, a probe), as
    ``(fd, path)``, named ``.NAME.musicsage-PID-XXXX.tmp``, after removing this app's
    leftovers for the same target.

    A run killed between creating its temporary and the rename leaves a hidden file in the
    user's folder. The name proves which ones are ours — the target's name, the app's mark,
    the writer's process id — so a later write removes those whose process is gone, and
    nothing else (not a temporary of a running writer, nor any file the app did not make).
    A long NAME is cut to fit (:mod:`musicsage.name_max`)."""
    target = Path(target)
    remove_stale_temporaries(target)
    return tempfile.mkstemp(prefix=temporary_prefix(target.name), suffix=".tmp",
                            dir=target.parent)


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporaries :func:`temporary_beside` left for ``target`` by processes that
    no longer run; returns what was removed."""
    return _remove_orphans(target.parent, temporary_pattern(target.name))


def remove_stale_writes(path: Path) -> list[Path]:
    """Remove the temporaries :func:`atomic_replacement` left for ``path`` (exactly
    ``.NAME.PID.THREAD.tmp``) by processes that no longer run; returns what was removed.

    A map, an index or a checkpoint whose writer was killed before its rename (SIGKILL, a
    crash, a power cut, the window's SIGTERM) left one beside the file for good: megabytes
    each, in folders no user opens. Only that exact name, a regular file, and only when its
    process is gone (:func:`process_runs`): another thread's or process's write in flight
    keeps its own."""
    return _remove_orphans(path.parent, write_temporary_pattern(path.name))


def _remove_orphans(folder: Path, pattern: str) -> list[Path]:
    """Remove the regular files in ``folder`` whose whole name matches ``pattern`` (group 1:
    the writer's process id) and whose process no longer runs."""
    return _remove_matching(folder, pattern,
                            lambda match, _st: not process_runs(int(match.group(1))))


def remove_abandoned(folder: Path, pattern: str, *, idle_s: float = 86400.0) -> list[Path]:
    """Remove the regular files in ``folder`` whose whole name matches ``pattern`` and that
    nothing has written for ``idle_s`` seconds (a day); returns what was removed.

    For the temporaries that earlier versions named without their writer's process id, so
    that :func:`process_runs` cannot tell a dead writer's from a live one's: the callers pass
    only a name this app alone makes, in a folder of its own, written by a download that
    adds to it every few seconds or fails (30 s timeouts) — one untouched for a day has no
    writer left. A file dated in the future is kept."""
    return _remove_matching(folder, pattern,
                            lambda _match, st: time.time() - st.st_mtime > idle_s)


def _remove_matching(folder: Path, pattern: str,
                     stale: Callable[[re.Match[str], os.stat_result], bool]) -> list[Path]:
    """Remove the regular files (no link, no folder) in ``folder`` whose whole name matches
    ``pattern`` and that ``stale`` says are left over; returns what was removed. Errors (a
    folder we cannot list, a read-only one) are ignored: this is tidying, never a reason to
    fail a write."""
    name_of = re.compile(pattern)
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = name_of.fullmatch(entry.name)
        if match is None:
            continue
        with suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and stale(match, st):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextmanager
def replaced_together(folder: Path, names: Sequence[str], *,
                      obsolete: Sequence[str] = ()) -> Iterator[Path]:
    """A hidden folder in ``folder`` (``.musicsage-stage-PID-THREAD.tmp``) for the caller to
    write every one of ``names`` into; on a clean exit they replace ``folder``'s files of those
    names as one set, on disk, and ``obsolete`` (an earlier run's that this one has none of)
    go. The caller has claimed them (:func:`claim_output_dir`).

    ``train --out`` wrote its files one by one over the last run's: killed between two, it
    left new embeddings beside the old model. Staged, a kill before the commit leaves the old
    set whole. The commit checks every staged file is there and on disk, removes the old set,
    the last name first, and renames the new one in, the last name last (microseconds):
    killed there, the folder holds files of one run only, perhaps not all. Ctrl-C and SIGTERM
    wait for it; an error in it keeps the stage, then the only whole copy, for the next run
    (:func:`stale_stages`) to find; an unfinished block removes its own."""
    everything = (*names, *obsolete)
    remove_stale_stages(folder, everything)
    for name in names:  # those of versions that wrote each file beside it
        remove_stale_writes(folder / name)
    stage = folder / f".{_MARK}-stage-{os.getpid()}-{threading.get_ident()}.tmp"
    stage.mkdir()
    with _open_stages_guard:
        _open_stages.add(stage.name)
    keep = False
    try:
        try:
            yield stage
        except OSError as exc:  # a full disk: name the file the user knows, not its stage
            if exc.filename and Path(os.fsdecode(exc.filename)).parent == stage:
                exc.filename = os.fspath(folder / Path(os.fsdecode(exc.filename)).name)
            raise
        for name in names:
            fd = os.open(stage / name, os.O_RDONLY)  # all there, and on disk before the swap
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        with signals_deferred():
            keep = True  # from here on an error leaves the new set's only whole copy there
            for name in (*reversed(names), *obsolete):
                (folder / name).unlink(missing_ok=True)
            for name in names:
                os.replace(stage / name, folder / name)
            keep = False
            fsync_folder(folder)
    finally:
        with _open_stages_guard:
            _open_stages.discard(stage.name)
        if not keep:
            _remove_stage(stage, everything)


#: the names of the stages :func:`replaced_together` blocks of this process write now
_open_stages: set[str] = set()
_open_stages_guard = threading.Lock()


def stale_stages(folder: Path) -> list[Path]:
    """The stages :func:`replaced_together` left in ``folder`` that no run is writing: their
    process is gone, or it is this one and no block of it writes there now. A process id
    comes back (a container's CLI runs as process 1 each time): a killed run's stage named
    by this process's id was kept forever, with a whole features.npy or model in it."""
    stage_name = re.compile(re.escape(f".{_MARK}-stage-") + r"(\d+)-\d+\.tmp")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    with _open_stages_guard:
        open_here = set(_open_stages)
    matches = [(e, stage_name.fullmatch(e.name)) for e in entries]
    return [Path(e.path) for e, m in matches if m is not None and e.is_dir(follow_symlinks=False)
            and (e.name not in open_here if int(m.group(1)) == os.getpid()
                 else not process_runs(int(m.group(1))))]


def remove_stale_stages(folder: Path, names: Sequence[str]) -> None:
    """Remove the stages :func:`replaced_together` left in ``folder`` (:func:`stale_stages`):
    only ``names`` and their write temporaries in them, then the folder if that emptied it
    (anything else in one stays, and so does the folder)."""
    for stage in stale_stages(folder):
        _remove_stage(stage, names)


def _remove_stage(stage: Path, names: Sequence[str]) -> None:
    """Remove ``names`` (and their dead writers' temporaries) from ``stage``, then ``stage``
    if empty; tidying: errors are ignored."""
    for name in names:
        remove_stale_writes(stage / name)
        with suppress(OSError):
            if stat.S_ISREG(os.lstat(stage / name).st_mode):
                os.unlink(stage / name)
    with suppress(OSError):
        os.rmdir(stage)


def fsync_folder(folder: Path) -> None:
    """fsync ``folder``, so that a name just made in it survives a power cut (a file's own
    fsync keeps its bytes, not its name). Where the system cannot (some network file
    systems), nothing more can be done: ignored."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def process_runs(pid: int) -> bool:
    """Whether process ``pid`` still runs, for deciding that what it left behind is orphaned
    (this process counts: another of its threads may be writing). In doubt — someone else's
    process, a number the system cannot ask about — it runs, so nothing is removed."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def same_path(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether ``a`` and ``b`` name the same file or folder, by any name (a link, ``..``, a
    hard link); False when either is not there or cannot be looked at."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


#: the file that says an export or a training run wrote a folder's other files
OUTPUT_MARKER = ".musicsage-output"


def output_mark(out: Path) -> dict | None:
    """``out``'s :data:`OUTPUT_MARKER` record: None without one, {} if it is no mapping."""
    marker, record = out / OUTPUT_MARKER, {}
    # one that cannot be read licenses nothing; JSON nested too deep (``[[[[…]]]]``) raises
    # RecursionError, which ended ``export`` and ``train --out`` in a traceback
    with suppress(OSError, ValueError, RecursionError):
        record = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else None
    return record if record is None or isinstance(record, dict) else {}


def marking_commands(out: Path) -> set[str] | None:
    """The commands of this app that wrote into ``out`` by its mark; None without one."""
    if (record := output_mark(out)) is None:
        return None
    named = record.get("commands")
    named = list(named) if isinstance(named, list) else [record.get("command")]
    return {str(c) for c in named if isinstance(c, str)}


def refuse_foreign_files(out: Path, names: Iterable[str], what: str = "", *,
                         command: str) -> None:
    """Refuse, before anything is written, to write ``names`` into ``out`` when one of them
    is there already and no earlier ``command`` of this app put it there (no
    :data:`OUTPUT_MARKER`, or one that does not name ``command``); ``what`` starts the
    message (the option that named the folder, say).

    ``export DIR`` and ``train --dataset … --out DIR`` replaced same-named files in any folder
    they were pointed at — a hand-made dataset dir, a folder of the user's own — and a
    replaced file is a lost one. A folder the same command wrote before is replaced as it
    was; the mark of another command licenses nothing (a training's mark in a dataset dir
    made by hand must not let an export replace its tracks.csv).
    """
    commands = marking_commands(out)
    if commands is not None and command in commands:
        return
    for name in names:
        if os.path.lexists(out / name):
            start = f"{what} " if what else ""
            raise MusicsageError(
                f"{start}{out / name} is already there and musicsage did not write it (or "
                "wrote it before it marked its folders); choose a new folder or move that "
                "file away — nothing was written")


def claim_output_dir(out: Path, names: Iterable[str], command: str, what: str = "") -> None:
    """Just before ``command`` writes ``names`` into ``out``: refuse a folder holding one of
    them that this command did not write (:func:`refuse_foreign_files`), else create ``out``
    if needed and mark it as written by ``command`` (added to its record), so that a later run
    of it may replace what this one writes. One that cannot be made or marked (``export
    /proc/x``) is refused in one line, folders made here removed (a full disk: raised)."""
    refuse_foreign_files(out, names, what, command=command)
    made = [folder for folder in (out, *out.parents) if not os.path.lexists(folder)]
    try:
        out.mkdir(parents=True, exist_ok=True)
        if command not in (commands := marking_commands(out) or set()):
            mark = {**(output_mark(out) or {}), "app": "musicsage", "command": command,
                    "commands": sorted({*commands, command})}
            replace_atomically(out / OUTPUT_MARKER, (json.dumps(mark) + "\n").encode("utf-8"))
    except OSError as exc:
        with suppress(OSError):  # innermost first, only while empty: anything in one is not ours
            for folder in made:
                folder.rmdir()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise
        named = f"{what} {out}" if what else out
        raise MusicsageError(f"cannot write into {named} ({exc.strerror or exc}); choose "
                             "another folder (nothing was written)") from None
