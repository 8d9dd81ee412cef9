"""Guards of a demo build: one build of a library at a time, a state file that cannot be
read, a music folder that cannot be written or whose music is gone, a library that lost the
demo's tracks.

Each answers a way the build went wrong before (see each function): two builds crashing each
other, an unreadable ``demo-state.json`` taken for "no demo" (a different demo built, the old
one left in the library), a read-only folder recorded as the demo's, a finished demo "reused"
with no music left to play.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from musicsage.demo.manifest import blocked_folder, blocked_words, read_manifest, unsound_files
from musicsage.demo.state import DemoState, named_folder, read_state, state_path
from musicsage.errors import MusicsageError

if TYPE_CHECKING:
    from musicsage.context import AppContext

DEMO_LOCK_SUFFIX = ".demo-lock"
"""The lock file of a library's demo build, beside its database (as the scan's and the
embedding run's are: :mod:`musicsage.library.lock`)."""


@contextmanager
def build_lock(ctx: "AppContext", progress, cancel) -> Iterator[None]:
    """One demo build of a library at a time, across processes (two ``demo`` runs, two
    windows opened with ``--demo``): two at once deleted each other's ``.part`` files half
    written (a crash) and both recorded the state. The second waits — saying so once, still
    cancellable — then finds what the first built. The lock is :mod:`musicsage.library.lock`'s
    flock (dropped by the kernel when its process dies, even killed); the window runs the
    build as a task, so a window that waits stays responsive."""
    from musicsage.library.lock import held_lock_file

    unwritable = f"cannot build the demo: the library folder {ctx.data_dir} is not writable"
    try:
        ctx.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MusicsageError(f"{unwritable} ({exc.strerror or exc})") from None
    with held_lock_file(f"{ctx.db_path}{DEMO_LOCK_SUFFIX}", stage="generate",
                        activity="demo build", doing="demo-build", progress=progress,
                        cancel=cancel, unwritable=unwritable):
        yield


def recorded_state(data_dir: Path, music: Path, *,
                   asked: bool = False) -> tuple[DemoState | None, bool]:
    """The recorded state, and whether it was recovered: a state file that cannot be read
    (truncated, not JSON) is not "no demo here" — that rebuilt a demo of the default settings
    and left the one built before in the library. The demo its music folder's manifest
    describes, if the folder holds this library's demo, is the one to resume; else refused in
    one line (nothing is changed, the file is left where it is). The folder: ``music`` when
    ``asked`` (given by the user), else the absolute one the damaged file still names (a
    stage null in a demo built in a folder of the user's choice was looked for only in the
    default one, ``music``: refused, with advice that built a second demo beside it)."""
    state, path = read_state(data_dir), state_path(data_dir)
    if state is not None or not os.path.lexists(path):
        return state, False
    if not asked:
        music = named_folder(path) or music
    try:
        manifest = read_manifest(music) or {}
        owner = manifest.get("library")
        if owner is not None and os.path.realpath(owner) != os.path.realpath(data_dir):
            raise ValueError(owner)
        return DemoState(str(music), str(manifest["fingerprint"]), int(manifest["n_tracks"]),
                         int(manifest["seed"]), float(manifest["seconds"])), True
    except (MusicsageError, KeyError, TypeError, ValueError):
        raise MusicsageError(f"the demo's state file {path} cannot be read, and {music} holds "
                             "no demo of this library to resume: move the file away to build "
                             "a new demo (nothing was changed)") from None


def check_writable(music: Path, *, repair: bool = False, library: Path | None = None) -> None:
    """Refuse, before anything is recorded, a music folder that cannot be written (while it
    does not exist: the nearest folder above it): the build failed at its first file and left
    a ``demo-state.json`` naming the folder, which every later ``demo`` went back to.
    ``repair``: a finished demo's music is missing or cut short — in a folder made read-only
    the build reset its stages, then failed in words that blamed the library folder (or a
    full disk); the folder of each such file is checked too, since an album's folder made
    read-only failed the same way while the music folder above it could be written.
    ``library``: the data dir, checked first, wherever the music goes: a library folder that
    cannot be written or made is named with --data-dir as the way out. Worked out from the
    music's path, it was named only for music inside it: "cannot write the demo music into
    D/demo-music …; choose another folder" sent the user to a folder they never chose, and
    with the music elsewhere the build failed later "cannot create the library folder …
    (Not a directory)", with no way out said."""
    blocked_library = blocked_folder(library) if library is not None else None
    if blocked_library is not None:
        if blocked_library.is_dir():
            no_library_here(library)
        raise MusicsageError(f"cannot build the demo in the library folder {library}: "
                             f"{blocked_words(blocked_library)}, or choose another --data-dir "
                             "(nothing was changed)")
    for wanted in [music, *(_repair_folders(music) if repair else [])]:
        folder = blocked_folder(wanted)
        if folder is None:
            continue
        if repair:
            found, count = missing_words(music)
            raise MusicsageError(f"{found}: cannot render {'it' if count <= 1 else 'them'} "
                                 f"again, {blocked_words(folder)}, then try again (nothing "
                                 "was changed)")
        raise MusicsageError(f"cannot write the demo music into {music}: "
                             f"{_first_build_blocker(folder)} (nothing was changed)")


def no_library_here(library: Path) -> None:
    """Refuse, in ``scan``'s words, a demo in a folder where no library can be made (it, or
    the folder above it that exists, refuses this user a file): the same cause was said
    "cannot build the demo in the library folder …" here and "cannot make a library in …"
    by ``scan``. A folder that already holds a library is left to the caller's words."""
    from musicsage.context import DB_FILENAME
    from musicsage.library.db_problems import cannot_make_library_problem

    if problem := cannot_make_library_problem(Path(library) / DB_FILENAME):
        raise MusicsageError(problem)


def _first_build_blocker(found: Path) -> str:
    """What stops a first build writing its music, and what to do: "P is not writable; choose
    another folder", or for a file where a folder must go, "a file is in the way at P; move it
    away, or choose another folder" (:func:`~musicsage.demo.manifest.blocked_words`) — "is not
    writable" sent the user to change the file's permissions, which changed nothing."""
    if found.is_dir():
        return f"{found} is not writable; choose another folder"
    return f"{blocked_words(found)}, or choose another folder"


def _repair_folders(music: Path) -> list[Path]:
    """The folders a repair writes into: that of each file of the demo's manifest that is
    gone or cut short (:func:`~musicsage.demo.manifest.unsound_files`), each once."""
    try:
        manifest = read_manifest(music)
    except MusicsageError:  # a manifest not to trust: the build refuses it in its own words
        return []
    if manifest is None:
        return []
    gone, damaged = unsound_files(music, manifest)
    folders = (music.joinpath(*name.split("/")).parent for name in gone + damaged)
    return list(dict.fromkeys(folders))


def music_unsound(music: Path) -> bool:
    """Whether the demo's music is gone, all or some (its folder deleted or emptied), or a
    file of it is cut short or written over (:func:`~musicsage.demo.manifest.unsound_files`):
    a finished demo was "reused" with no music to play, or with a file the scan could not
    read. A stat and a read of the first 4 bytes and last 4 KiB per file its manifest lists,
    the probe only for a file in doubt (a few hundred: cheap enough for the window's
    start-up). With no manifest to go by, only a folder gone or emptied
    counts (a folder of music is not taken for gone)."""
    try:
        manifest = read_manifest(music)
    except MusicsageError:  # a manifest not to trust: the build refuses it in its own words
        return False
    try:
        if manifest is None:
            return not music.is_dir() or not any(music.iterdir())
        return any(unsound_files(music, manifest))
    except OSError as exc:  # a folder made unreadable: a traceback in the window before
        raise MusicsageError(f"cannot read the demo's music folder {music} "
                             f"({exc.strerror or exc}): make it readable, then try again") from None


def library_lost(db_path: Path, state: DemoState) -> bool:
    """Whether the library holds none of the demo's tracks though ``state`` records stages
    after ``generate``: its database moved aside (the window's advice for a damaged one) or
    replaced by an empty one — the demo counted as ready forever, showing nothing; those
    stages must run again. One read-only query; a database that cannot be read is not taken
    for lost (the library says why itself)."""
    import sqlite3

    from musicsage.library.db_readonly import read_only_uri
    from musicsage.library.paths import from_fs
    from musicsage.library.scan import tracks_under

    if all(name == "generate" for name in state.stages):
        return False
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return True
    try:
        # no wait: the window asks on a click (Open demo library); a locked library froze it
        conn = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=0)
        try:
            return not tracks_under(conn, [from_fs(state.music_dir)])
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def missing_words(music: Path) -> tuple[str, int]:
    """What is wrong with the demo's music, for the note of a repaired demo — "1 file of the
    demo's music in M is missing", "… are missing or cut short" — and how many files that is
    (0 with no manifest to go by: "the demo's music in M is missing")."""
    from musicsage.text import counted, noun

    try:
        manifest = read_manifest(music) or {"files": []}
    except MusicsageError:
        manifest = {"files": []}
    gone, damaged = unsound_files(music, manifest)
    count = len(gone) + len(damaged)
    if not count:
        return f"the demo's music in {music} is missing", 0
    # damaged: cut short, or garbage written over it (:func:`~.manifest.unsound_files`)
    broken = "damaged (cut short or unreadable)"
    what = "missing" if not damaged else broken if not gone else f"missing or {broken}"
    found = f"{counted(count, 'file')} of the demo's music in {music} {noun(count, 'is', 'are')}"
    return f"{found} {what}", count


def asked_music_folder(music_dir: "str | os.PathLike[str]") -> Path:
    """The music folder a user named (``demo DIR``, the window's option), absolute, its
    leading ``~``/``~user`` expanded; a ``~user`` this system does not know is refused in one
    line, as every other command refuses it (:func:`~musicsage.library.paths.home_expanded`):
    ``demo '~nouser/m'`` ended in "unexpected error (RuntimeError …)" and a crash log. A
    folder that is, or lies below, a link to nowhere (a drive not mounted) is refused as
    ``--data-dir`` refuses it: the demo's music was written at the link's target; so is a
    loop of links (it ended in "unexpected error (RuntimeError …)")."""
    from musicsage.library.paths import (home_expanded, link_to_nowhere, link_to_nowhere_words,
                                         shown)

    given = home_expanded(music_dir, suffix=" (nothing was created)")
    try:
        resolved = given.resolve()
    except RuntimeError:  # a loop of symbolic links
        raise MusicsageError(f"the demo's music folder {shown(given)}: a loop of symbolic links "
                             "(nothing was created)") from None
    try:
        dangling = link_to_nowhere(given)
    except OSError:  # a folder above it that cannot be searched: the build says so
        dangling = None
    if dangling is not None:  # said as the demo's other refusals end, which the window drops
        raise MusicsageError(f"the demo's music folder {link_to_nowhere_words(given, dangling)} "
                             "(nothing was created)")
    return resolved
