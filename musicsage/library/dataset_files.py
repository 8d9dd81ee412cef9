"""Whether a dataset dir (docs/dataset-dir.md) and the files it names can be read at all,
before any of them is: one verdict, in the app's words, for ``import`` and ``train``/``eval
--dataset`` alike.

Why: ``import`` asked ``is_file()`` of its optional files, so a ``memberships.csv`` that was
a broken link, a folder or a named pipe read as an absent one — "imported 200 tracks, 0
playlists", exit 0 — while ``train``/``eval --dataset`` refused the same folder; and both
said "tracks.csv is missing" of a file that was there but a folder, or a link to nowhere, and
``import`` of a ``features.npy`` folder ended on the system's "Is a directory". A named pipe
is never opened here: reading one waits for a writer that may never come.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

from musicsage.errors import MusicsageError
from musicsage.files import marking_commands, stale_stages
from musicsage.library.paths import home_expanded
from musicsage.library.raw_csv import raw_csv_hint, refuse_raw_csv

MISSING = "is missing"
"""What :func:`file_problem` says of a name with nothing behind it (not even a link)."""


def _kind(mode: int) -> str:
    """What a file that is neither a regular file nor a folder is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def closed_folder(path: Path) -> Path:
    """The folder that stops this user from looking at ``path`` (``os.lstat`` refused with
    "Permission denied"): the nearest folder above it whose own entry can be looked at — it
    may not be searched (``chmod a-x``, another user's ``700`` home). "it cannot be read"
    sent the user to ``path``, whose own permissions were fine."""
    closed = path.absolute()
    while closed != closed.parent:
        closed = closed.parent
        try:
            os.lstat(closed)  # its own entry is seen: the folders above it may be searched
            return closed
        except PermissionError:
            continue
        except OSError:
            return closed
    return closed


def file_problem(path: Path) -> str | None:
    """Why the dataset file ``path`` cannot be read, as the words that follow its name
    (:data:`MISSING`, ``is a folder, not a file``, ``is a broken link (to …)``, ``is a link
    to /dev/zero, a device, not a file``, ``cannot be read (Permission denied)``), or None
    when it is a regular file this process can open. Only a name with nothing behind it is
    missing: :func:`os.path.lexists` is False for any error, and ``import`` of a folder this
    user may not search said "no tracks.csv" of one that holds it."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    except OSError as exc:  # the folder cannot be searched, a name too long
        return f"cannot be read ({exc.strerror or exc})"
    link = path.is_symlink()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"is a broken link (to {os.readlink(path)}, which does not exist)"
    except OSError as exc:  # a loop of links, a folder on the way that cannot be searched
        return f"cannot be read ({exc.strerror or exc})"
    via = f"a link to {os.path.realpath(path)}, " if link else ""
    if stat.S_ISDIR(mode):
        return f"is {via}a folder, not a file"
    if not stat.S_ISREG(mode):
        return f"is {via}{_kind(mode)}, not a file"
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


def dataset_file(src: Path, name: str, *, required: bool) -> Path | None:
    """``src / name`` when it is a file that can be read; None when nothing is there and
    it is optional. Anything else — a folder, a broken link, a pipe, a device, a file this
    process may not read, or a required file absent — is refused in one line, before
    anything is read or stored: a file named but unreadable is not an absent one."""
    path = src / name
    problem = file_problem(path)
    if problem is None:
        return path
    if problem == MISSING and not required:
        return None
    if problem != MISSING:
        _refuse_unopened(src)
    if problem == MISSING and name == "tracks.csv":  # import and train --dataset say it alike
        raise MusicsageError(f"{src} is not a dataset dir (no tracks.csv)"
                             f"{interrupted_hint(src) or raw_csv_hint(src)}")
    raise MusicsageError(f"{src} is not a dataset dir: {name} {problem}")


def _refuse_unopened(src: Path) -> None:
    """Refuse ``src`` in its own words when this user may not search it (``chmod 000``,
    ``chmod a-x``, another user's ``700`` folder): each of its files then "cannot be read",
    and "DIR is not a dataset dir: tracks.csv cannot be read" sent the user to a file whose
    own permissions were fine. Searching is what opening a file in it takes, not listing:
    a ``711`` folder (shared by name) that cannot be listed keeps its file's own words, and
    a ``444`` one that can be listed is refused here. Asked only once a file failed."""
    try:
        os.stat(os.path.join(src, "."))  # "." is looked up in src: its search permission
    except PermissionError as exc:
        raise MusicsageError(f"{src} cannot be opened: this user may not open that folder "
                             f"({exc.strerror or exc})") from None
    except OSError:  # anything else: the file's own words say it
        return


def interrupted_hint(src: Path) -> str:
    """What ends the refusal of a dataset dir without a tracks.csv when an export into it
    was stopped while it swapped its files in, or ''. Export removes the earlier tracks.csv
    first and puts the new one in last, and a stopped one leaves its stage (:func:`musicsage.
    files.replaced_together`) holding it; "tracks.csv is missing" alone read as a folder that
    never was a dataset dir. Not said of a stage an export is swapping in now, nor of one a
    training left (no tracks.csv in it): :func:`musicsage.files.stale_stages` knows them."""
    staged = any(os.path.isfile(stage / "tracks.csv") for stage in stale_stages(src))
    return ": an export into it was interrupted; export again" if staged else ""


def folder_problem(path: Path) -> str | None:
    """Why ``path`` is no folder to read a dataset from (``no such folder``, ``it is a file,
    not a folder``, ``it is a broken link (to …)``), or None when it is a folder. Only a
    name with nothing behind it is "no such folder": ``loop/sub`` (``loop -> loop``) was
    called so, as :func:`os.path.lexists` is False for any error."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "no such folder"
    except PermissionError:  # a folder above that cannot be searched: named
        return f"it cannot be reached: this user may not open the folder {closed_folder(path)} " \
            "above it (Permission denied)"
    except OSError as exc:  # a loop of links on the way
        return f"it cannot be read ({exc.strerror or exc})"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"it is a broken link (to {os.readlink(path)}, which does not exist)"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return None
    return ("it is a file, not a folder" if stat.S_ISREG(mode)
            else f"it is {_kind(mode)}, not a folder")


def check_dataset_folder(path: str | os.PathLike, *, suffix: str = "") -> None:
    """Refuse, in one line, a dataset dir that is not a folder (``suffix`` ends the line:
    what was not done)."""
    problem = folder_problem(Path(path))
    if problem is not None:
        raise MusicsageError(f"{os.fspath(path)} is not a dataset dir: {problem}{suffix}")


def _export_without_vectors(src: Path) -> bool:
    """Whether ``src`` is an export of a library that had no audio vectors: marked by
    ``export``, with neither features.npy nor features.json (an export with vectors writes
    both; one without removes both). "features.npy is missing" alone named no way out of a
    folder the app wrote itself."""
    return (file_problem(src / "features.npy") == MISSING
            and file_problem(src / "features.json") == MISSING
            and "export" in (marking_commands(src) or ()))


def _vectors_advice(src: Path) -> str:
    """What ends the refusal of an export into ``src`` without vectors: how the library
    exported gets them, told from the export's tracks.csv — its tracks with audio files by
    ``embed``; those imported from a dataset dir without a features.npy only by importing
    that dir again with one (``embed`` answers "nothing to embed" of them: each command sent
    the user to the other). Both ways, where tracks.csv does not say. Tracks from several
    dataset dirs name the first "(and others)": it read as if all came from that one."""
    files, dirs = _exported_tracks(src)
    if not dirs:
        return (": run `musicsage embed`, then export again" if files else
                ": run `musicsage embed` (tracks imported from a dataset dir: import that dir "
                "again with its features.npy), then export again")
    npy = os.path.join(dirs[0], "features.npy")
    dataset, that = ((f"dirs {dirs[0]} (and others)", "each dir") if len(dirs) > 1
                     else (f"dir {dirs[0]}", "that dir"))
    npy += " (and the others' in theirs)" if len(dirs) > 1 else ""
    if files:
        return (f": run `musicsage embed` for its audio files, put the vectors of its tracks "
                f"from the dataset {dataset} in {npy} and import {that} again, then "
                "export again")
    return (f" (its tracks came from the dataset {dataset}, imported without a "
            f"features.npy): put the vectors in {npy}, import {that} again, then export "
            "again")


def _exported_tracks(src: Path) -> tuple[bool, list[str]]:
    """Whether the export's tracks.csv lists a track with an audio file (a ``path``), and the
    dataset dirs (display form, the first two) of those imported without a file (their
    ``source``, ``dataset:<dir>#<id>``); (False, []) when the file cannot be read. Read only
    as far as it takes to know both: an export writes a ``source`` column only when a track
    has no file, so without one the first file ends the reading."""
    from musicsage.library import paths as P

    files, dirs, seen = False, [], set()
    try:
        with open(src / "tracks.csv", newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = [name.strip() for name in next(reader, [])]
            path_at, source_at = (header.index(n) if n in header else -1
                                  for n in ("path", "source"))
            for row in reader if path_at >= 0 or source_at >= 0 else ():
                files = files or (0 <= path_at < len(row) and P.is_file_path(row[path_at]))
                source = row[source_at] if 0 <= source_at < len(row) else ""
                if source.startswith(P.DATASET_PREFIX) and source.rpartition("#")[0] not in seen:
                    seen.add(source.rpartition("#")[0])  # one look at the disk a dir
                    shown = P.display(P.dataset_source(source))
                    dirs += [shown] if shown not in dirs else []
                if (files or path_at < 0) and (source_at < 0 or len(dirs) > 1):
                    break
    except (OSError, UnicodeDecodeError, csv.Error):
        return False, []
    return files, dirs


#: the files ``train``/``eval --dataset`` need, and the one they read where it is present
TRAINING_FILES = ("tracks.csv", "features.npy", "memberships.csv")
OPTIONAL_FILES = ("features.json",)


def check_training_dataset(path: str | os.PathLike) -> None:
    """Refuse, in one line saying what is wrong, a dataset dir ``train``/``eval --dataset``
    cannot read: not a folder, or one of its files absent, or there but unreadable (a folder,
    a broken link, a pipe, a device). Run before the files are read. A ``~nouser/x`` (quoted:
    a user this system does not know, the ``~`` left as typed) is refused in ``import``'s
    words (:func:`~musicsage.library.paths.home_expanded`): it was "no such folder"."""
    if not os.path.lexists(path):  # a folder named '~nouser-x' that is there is read as typed
        home_expanded(path)
    check_dataset_folder(refuse_raw_csv(Path(path), suffix=""))
    src = Path(path)
    for name in TRAINING_FILES:
        if name == "features.npy" and _export_without_vectors(src):
            raise MusicsageError(f"{src} is not a dataset dir: features.npy is missing — the "
                                 "library exported had no audio vectors, which train and eval "
                                 f"need{_vectors_advice(src)}")
        dataset_file(src, name, required=True)
    for name in OPTIONAL_FILES:
        dataset_file(src, name, required=False)
