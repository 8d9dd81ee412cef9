"""Where a library lives on disk.

An :class:`AppContext` names the per-user data dir (library DB, trained graph models) and cache
dir (audio-model weights, search indexes, map coordinates). ``--data-dir DIR`` puts both under
DIR (cache in ``DIR/cache``), which is what tests and the demo library use. Nothing here opens
the DB (the library package does, from ``ctx.db_path``); :meth:`AppContext.create` only makes
and checks the folders (no ``cache/`` beside a database that opening will refuse), and refuses
a command that needs a library where there is none.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from musicsage.errors import MusicsageError
from musicsage.library.paths import (home_expanded, in_a_loop_of_links, link_to_nowhere,
                                     link_to_nowhere_words, shell_word, shown, typed_path)

APP_NAME = "musicsage"
DB_FILENAME = "library.sqlite3"
WEIGHTS_DIR_ENV = "MUSICSAGE_WEIGHTS_DIR"
"""Names the folder audio-model weights are downloaded and converted into, instead of a
checkout's ``models/`` or the cache's: the tests set it to a temporary folder, so that a run
of them never writes into the checkout (they ran as its owner, who may write there)."""


def library_key(data_dir: str | os.PathLike[str]) -> str:
    """A short stable name for the library at ``data_dir`` (its resolved path, hashed): what
    a window's claim on it and its remembered session are named by."""
    return hashlib.sha256(os.fsencode(os.path.realpath(data_dir))).hexdigest()[:16]


def repo_root() -> Path | None:
    """The source checkout this package runs from, or None when installed elsewhere."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "musicsage").is_dir() else None


def checkout_models_dir() -> Path | None:
    """``models/`` of the source checkout this package runs from (None when installed):
    where ``scripts/setup.sh`` puts the audio-model weights."""
    root = repo_root()
    return root / "models" if root is not None else None


def user_cache_root() -> Path:
    """The per-user cache dir, whatever ``--data-dir`` says.

    For caches of *code*, not of a library: numba's compiled UMAP functions are the same for
    every library on the machine, so the demo library and the user's own one share them.
    """
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def _resolved_data_dir(given: Path) -> Path:
    """The absolute data dir that ``--data-dir`` names. A link that leads nowhere (a drive
    not mounted) is refused: following it would make an empty library at its target; so
    is one above it (``usb/lib``, ``usb`` such a link: the library was made at the link's
    target, in the empty mount point)."""
    try:
        root = given.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        raise MusicsageError(f"--data-dir {shown(given)}: a loop of symbolic links "
                             "(nothing was created)") from None
    try:  # the folder or one above it: `--data-dir ~/usb/lib`, ~/usb a link to nowhere
        dangling = link_to_nowhere(given)
    except PermissionError as exc:  # a folder above it that cannot be searched
        raise MusicsageError(unreadable_folder_message(root, exc)) from None
    if dangling is not None:
        raise MusicsageError(f"--data-dir {link_to_nowhere_words(given, dangling)}: "
                             "nothing was created")
    return root


class LibraryUse(Enum):
    """What a command does with the library at the data dir, which decides what
    :meth:`AppContext.create` may make there. Why: a mistyped ``--data-dir ~/Musc`` given to
    a command that only reads made a new, empty library there and answered "the library is
    empty"."""

    CREATE = "create"
    """It may start a library (``scan FOLDER``, ``import``, ``demo``, the window): the folders
    are made when missing, the database on first use."""
    EXISTING = "existing"
    """It reads or changes a library: refused in one line when there is none, nothing made."""
    NONE = "none"
    """It does not use the library (a ``--dataset`` dir, ``tags FILE``): nothing is checked
    and nothing made up front."""


def default_data_dir() -> Path:
    """The per-user library folder used without ``--data-dir``: one expression for the
    context, the missing-library line and the demo's folder, which had three copies."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def refuse_unreachable(folder: Path, what: str, way: str, *, name_the_loop: bool = False) -> None:
    """Refuse ``folder``, a library folder no ``--data-dir`` named, in one line where it lies
    under a link to nowhere (a drive not mounted) or in a loop of links: ``what`` names it
    ("the library folder"), ``way`` says what to do instead. Why: the default folder said
    "cannot create the library folder … (File exists)", or the system's "Too many levels of
    symbolic links" on its database, naming neither the link nor what to do. A loop names
    its link and ``way`` too with ``name_the_loop`` (the demo's line says the loop alone)."""
    try:
        dangling = link_to_nowhere(folder)  # a link into a loop does not exist either
    except OSError:  # a folder above not searched, a name too long: AppContext.create says it
        dangling = None
    if in_a_loop_of_links(folder):  # no drive to mount
        link = "" if dangling in (None, folder) else f": {shown(dangling)}"  # the last one
        raise MusicsageError(f"{what} {shown(folder)}{link} leads into a loop of symbolic links"
                             f": nothing was created; {way}" if name_the_loop else
                             f"{what} {shown(folder)}: a loop of symbolic links (nothing was "
                             "created)")
    if dangling is not None:
        raise MusicsageError(f"{what} {link_to_nowhere_words(folder, dangling)}: nothing was "
                             f"created; mount the drive, or {way}")


def start_commands(data_dir: Path, *, always_named: bool = False) -> str:
    """The two commands that fill the library in ``data_dir``. They carry ``--data-dir``
    unless the folder is the per-user default (and not ``always_named``, as the bench
    scripts, which have their own option, want): without it they would start the default
    library, not one in the folder the user named."""
    option = library_option(data_dir, always_named=always_named)
    return f"`musicsage {option}scan MUSIC_FOLDER` or `musicsage {option}import DATASET_DIR`"


def library_option(data_dir: "str | os.PathLike[str] | None", *,
                   always_named: bool = False) -> str:
    """``--data-dir DIR `` (with its trailing space) for a command a message tells the user to
    run, or "" where ``data_dir`` is None or the per-user default. Why: a command shown without
    it works on the default library — `run musicsage embed again`, pasted after an embed of
    ``--data-dir L`` was stopped, embedded the default library instead of finishing L's."""
    if data_dir is None:
        return ""
    # as AppContext.create reads it: a file:// URI is its path (named as given, pasting the
    # command made a library in a folder named 'file:' of the current one)
    folder = Path(os.path.expanduser(typed_path(os.fsdecode(data_dir)))).absolute()
    if not always_named and folder == default_data_dir():
        return ""
    return f"--data-dir {shell_word(folder)} "


def no_library_message(data_dir: Path) -> str:
    """The one line for a command that needs a library where there is none, with the
    commands that start one there (:func:`start_commands`); or, where none can be started
    (the folder, or the nearest one above it that exists, cannot be written, or that one is
    a file), that instead: in a read-only folder the line advised a ``scan`` that was then
    refused."""
    where = (f"no library in {shown(data_dir)} (the folder has no {DB_FILENAME})"
             if data_dir.is_dir() else f"no library at {shown(data_dir)}")
    from musicsage.library.db_problems import unwritable_folder

    above = _file_above(data_dir)
    if above is not None:
        return (f"{where}, nothing was created, and none can be started there: "
                f"{shown(above)} is a file, not a folder: give --data-dir the folder of an "
                "existing library, or a folder you can make one in")
    unwritable = unwritable_folder(data_dir)
    if unwritable is not None:
        folder, reason = unwritable
        which = ("the folder" if folder == data_dir
                 else f"the folder above it, {shown(folder)},")
        return (f"{where}, nothing was created, and none can be started there: {which} is not "
                f"writable ({reason}): give --data-dir the folder of an existing library, or "
                "a folder you can write to start one")
    return (f"{where}, nothing was created: start one with {start_commands(data_dir)};"
            " --data-dir names the folder of an existing library")


def unreadable_folder_message(data_dir: Path, exc: OSError) -> str:
    """The one line for a data dir this user may not enter (mode 000, another user's): the
    system's "Permission denied: …/cache" or "…/library.sqlite3" named neither the library
    folder nor what to do. Names the folder above it when that is the one in the way."""
    reason = exc.strerror or str(exc)
    blocked = data_dir
    while not _can_stat(blocked) and blocked != blocked.parent:
        blocked = blocked.parent
    if blocked == data_dir:
        return (f"the library folder {shown(data_dir)} cannot be read ({reason}): make it "
                "readable or choose another --data-dir")
    return (f"the library folder {shown(data_dir)} cannot be reached: the folder above it, "
            f"{shown(blocked)}, cannot be read ({reason}): make it readable or choose another "
            "--data-dir")


def _can_stat(path: Path) -> bool:
    """Whether ``path``'s own entry can be looked at (it exists or not): False only when a
    folder above it may not be searched."""
    try:
        path.lstat()
    except PermissionError:
        return False
    except OSError:
        return True
    return True


def _file_above(path: Path) -> Path | None:
    """The nearest existing path above ``path`` when it is not a folder (``afile`` of
    ``afile/lib``), else None. Why: ``stats --data-dir afile/lib`` advised a ``scan`` there,
    which then failed on "cannot create the library folder … (Not a directory)"."""
    for parent in path.parents:
        try:
            is_dir = parent.is_dir()
            exists = is_dir or parent.exists()
        except OSError:  # a folder above that cannot be searched: said elsewhere
            return None
        if exists:
            return None if is_dir else parent
    return None


@dataclass(frozen=True)
class AppContext:
    data_dir: Path
    cache_dir: Path

    @classmethod
    def create(cls, data_dir: str | os.PathLike[str] | None = None, *,
               library: LibraryUse = LibraryUse.CREATE) -> "AppContext":
        """Context for ``--data-dir`` (or the platform's per-user dirs when None).

        ``library`` (see :class:`LibraryUse`) says whether the data dir is made when missing
        or a missing library is refused. Refused with a one-line :class:`MusicsageError`,
        before anything is created: an empty name (it would silently mean the current
        folder), a path that is a file, a folder that cannot be made, no library for a
        command that needs one. A folder that exists but cannot be written is accepted: a
        read-only library still answers ``stats`` and ``similar``, and commands that write
        say why they cannot.
        """
        if data_dir is not None:
            if not os.fspath(data_dir).strip():
                raise MusicsageError("--data-dir is empty: give the library's folder "
                                     "(nothing was created)")
            # a file:// URI (a file manager's copy) names its folder, not `./file:/…`; a
            # `~nouser/x` is one line (Path.expanduser raised: "unexpected error", a crash log)
            root = _resolved_data_dir(home_expanded(typed_path(os.fsdecode(data_dir)),
                                                    suffix=" (nothing was created)"))
            ctx = cls(data_dir=root, cache_dir=root / "cache")
        else:
            if library is not LibraryUse.NONE:  # (`tags FILE` leaves the library alone)
                refuse_unreachable(default_data_dir(), "the library folder",
                                   "give --data-dir a folder for the library",
                                   name_the_loop=True)
            ctx = cls(data_dir=default_data_dir(), cache_dir=user_cache_root())
        ctx._prepare(library)
        return ctx

    def _prepare(self, library: LibraryUse) -> None:
        """Check the data dir, and make its folders unless ``library`` forbids it. A data dir
        this user may not enter is refused in one line (:func:`unreadable_folder_message`)
        by every command that uses the library, before anything is made."""
        try:
            a_file = self.data_dir.exists() and not self.data_dir.is_dir()
        except PermissionError as exc:  # a folder above it that cannot be searched
            raise MusicsageError(unreadable_folder_message(self.data_dir, exc)) from None
        if a_file:
            raise MusicsageError(f"{shown(self.data_dir)} is a file, not a folder: the data dir is "
                                 "the folder that holds a library")
        if library is LibraryUse.NONE:
            return
        found = self.has_library()  # asked for CREATE too: it refuses a folder not entered
        if library is LibraryUse.EXISTING and not found:
            raise MusicsageError(no_library_message(self.data_dir))
        self._make_dirs()

    def has_library(self) -> bool:
        """Whether the library database is there. Only "not found" means no: a folder that
        may not be searched is refused (:func:`unreadable_folder_message`), other failures
        raise their OSError; a link to nowhere is there, so that opening it says what is
        wrong rather than "no library"."""
        try:
            self.db_path.lstat()
        except (FileNotFoundError, NotADirectoryError):
            return False
        except PermissionError as exc:
            raise MusicsageError(unreadable_folder_message(self.data_dir, exc)) from None
        return True

    def _make_dirs(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MusicsageError(self._cannot_create(exc)) from None
        if self.cache_dir.is_dir() or self.library_problem():
            return  # a refused database: refused "before anything is created", cache/ too
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # a read-only library: caches are recomputed in memory, not saved

    def _cannot_create(self, exc: OSError) -> str:
        """The line for a data dir that could not be made: in a folder that cannot be written,
        the words every command uses for a library that cannot be made there, naming that
        folder, with what to do (``scan`` said only "cannot create the library folder …
        (Permission denied)" where ``stats`` named the read-only folder above it)."""
        from musicsage.library.db_problems import cannot_make_library_message, unwritable_folder

        if (unwritable := unwritable_folder(self.data_dir)) is not None:
            folder, reason = unwritable
            above = None if folder == self.data_dir else shown(folder)
            return cannot_make_library_message(shown(self.data_dir), above, reason)
        return f"cannot create the library folder {shown(self.data_dir)} ({exc.strerror or exc})"

    def library_problem(self) -> str | None:
        """Why opening the library here will refuse its database (another program's, a
        damaged one, a newer musicsage's, one on a filesystem that cannot lock files), read
        without writing the database; None when it opens. Only a first start asks (no
        ``cache/`` yet), so that an ordinary start pays nothing for it; ``demo`` asks before
        it renders its music. With no library yet the data folder's locks are tested (NFS
        without lockd): ``demo`` rendered 100 MB of music, and every command made ``cache/``,
        before the database's opening refused it. A folder this user may not enter is a
        problem too (:func:`unreadable_folder_message`): ``demo`` said "not writable"."""
        from musicsage.library.db import library_file_problem
        from musicsage.library.db_problems import cannot_lock_problem

        try:
            if self.has_library():
                return library_file_problem(self.db_path)
            return cannot_lock_problem(self.db_path)  # None where the folder is missing
        except MusicsageError as exc:  # a folder this user may not enter
            return str(exc)
        except OSError:  # another failure to look: opening says so in its words
            return None

    def writable_problem(self) -> str | None:
        """Why this library's folder cannot be written (a read-only folder or mount), or
        None. Checked by commands that would otherwise work for minutes before their first
        write fails; made by creating and removing a file, since permission bits alone do
        not tell (ACLs, read-only mounts, a root process without CAP_DAC_OVERRIDE). The
        probe is named by this process (``.write-probe.musicsage-PID-XXXX.tmp``), so that one
        a run killed before its removal left is removed by the next check, once that run is
        gone; another run's probe in flight stays."""
        from musicsage.files import temporary_beside

        try:
            fd, probe = temporary_beside(self.data_dir / "write-probe")
        except OSError as exc:
            return (f"the library folder {shown(self.data_dir)} is not writable "
                    f"({exc.strerror or exc})")
        os.close(fd)
        os.unlink(probe)
        return self._database_read_only()

    def _database_read_only(self) -> str | None:
        """Why the library database itself cannot be written, or None. Asked without opening
        it: closing any descriptor of the file drops every POSIX lock this process holds on
        it, so ``embed`` lost its connection's shared lock and another process could delete
        the -wal file that connection still wrote into ("disk I/O error", data lost). A file
        gone meanwhile is not read-only (None); without ``os.statvfs`` (Windows) the mount's
        flags are not asked."""
        statvfs = getattr(os, "statvfs", None)
        try:
            if not self.db_path.exists():
                return None
            if statvfs is not None and statvfs(self.db_path).f_flag & os.ST_RDONLY:
                reason = os.strerror(errno.EROFS)
            elif not os.access(self.db_path, os.W_OK) and self.db_path.exists():
                reason = os.strerror(errno.EACCES)
            else:
                return None
        except FileNotFoundError:
            return None
        except OSError as exc:
            reason = exc.strerror or str(exc)
        return f"the library database {shown(self.db_path)} is read-only ({reason})"

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def graph_models_dir(self) -> Path:
        """Trained graph-model checkpoints and their track embeddings."""
        return self.data_dir / "graph_models"

    @property
    def search_dir(self) -> Path:
        """hnswlib indexes and UMAP coordinates (derived data, safe to delete)."""
        return self.cache_dir / "search"

    @property
    def spare_cache_dir(self) -> Path:
        """Where caches of this library go when its own cache folder cannot be written (a
        read-only library or mount): under the per-user cache dir, one folder per library
        path. Only what is slow to recompute goes there (the map); each cached file carries
        the fingerprint of the vectors it was made from, so a stale one is never used."""
        import hashlib

        key = hashlib.sha256(os.fsencode(self.data_dir.resolve())).hexdigest()[:16]
        return user_cache_root() / "read-only-libraries" / key

    @property
    def numba_cache_dir(self) -> Path:
        """numba's compile cache (see :func:`user_cache_root`: shared by all libraries)."""
        return user_cache_root() / "numba"

    @property
    def weights_dir(self) -> Path:
        """Downloaded/converted audio-model weights.

        ``$MUSICSAGE_WEIGHTS_DIR`` when set (:data:`WEIGHTS_DIR_ENV`), else ``models/`` of the
        source checkout when running from one and it can be written (README's setup fills
        it), otherwise the user cache.
        """
        given = os.environ.get(WEIGHTS_DIR_ENV, "")
        if given.strip():
            return Path(given).expanduser().absolute()
        models = checkout_models_dir()
        if models is not None and os.access(models, os.W_OK):
            return models
        return self.cache_dir / "models"

    @property
    def not_written_models_dir(self) -> Path | None:
        """The source checkout's ``models/`` when weights are not written there (this user may
        not write it, or ``$MUSICSAGE_WEIGHTS_DIR`` names another folder) but it can be read:
        what the setup put there is used, never written. Why: it was left out of the search,
        so MusiCNN's wheel and checkpoints there were downloaded again into the user cache
        (offline: "not found"). Compared resolved: a symlinked or relative weights folder
        that is the checkout's is written, and listed once."""
        models = checkout_models_dir()
        if models is None or not (models.is_dir() and os.access(models, os.R_OK | os.X_OK)):
            return None
        written = {Path(d).resolve() for d in (self.weights_dir, self.cache_dir / "models")}
        return None if models.resolve() in written else models

    @property
    def model_dirs(self) -> list[Path]:
        """Where audio-model files are looked for, first = where a download goes: the
        weights folder, then the user cache's (a file fetched there before a checkout's
        ``models/`` became writable is still found), then a checkout's ``models/`` that is
        only read (:attr:`not_written_models_dir`). Each once, however spelled."""
        found = [Path(self.weights_dir), Path(self.cache_dir) / "models",
                 self.not_written_models_dir]
        unique: dict[Path, Path] = {}
        for folder in found:
            if folder is not None:
                unique.setdefault(folder.resolve(), folder)
        return list(unique.values())
