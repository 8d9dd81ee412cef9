"""The table from subcommand name to the function that runs it.

Each command module registers its handlers with :func:`handler`; ``musicsage.cli.main``
looks the parsed command up in :data:`HANDLERS`. A handler is thin: it calls one use case
(:mod:`musicsage.usecases`) and prints what it returns.
"""

from __future__ import annotations

import argparse
from typing import Callable

from musicsage.context import AppContext, LibraryUse
from musicsage.errors import MusicsageError

Handler = Callable[[argparse.Namespace, AppContext], int]

HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the function that runs subcommand ``name``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def library_use(args: argparse.Namespace) -> LibraryUse:
    """What the parsed command does with the library at ``--data-dir``: the one place that
    says which commands may start a library (``musicsage.cli.main`` opens the context with
    it). Only adding music or data starts one: ``scan`` given something to scan, ``import``
    and ``demo``. ``train``/``eval --dataset`` (and ``train --out``, which goes with it) and
    ``tags FILE`` leave the library alone: their own checks speak. Everything else, a bare
    ``scan`` (which re-scans the folders scanned before) included, needs an existing library
    and is refused without one, creating nothing."""
    command = args.command
    if command in ("import", "demo") or (command == "scan" and (args.paths or args.playlists)):
        return LibraryUse.CREATE
    dataset_run = getattr(args, "dataset", None) or getattr(args, "out", None)
    if dataset_run or (command == "tags" and not args.library):
        return LibraryUse.NONE
    return LibraryUse.EXISTING


PATH_ARGUMENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "scan": (("paths", "PATH", "a music folder or audio file"),
             ("playlists", "--playlists", "a playlist file or a folder of playlists")),
    "import": (("dir", "DIR", "the dataset dir to import"),),
    "export": (("dir", "DIR", "the folder to export the dataset into"),),
    "embed": (("openl3_weights", "--openl3-weights", "a local OpenL3 .h5 weights file"),),
    "train": (("dataset", "--dataset", "a dataset dir"),
              ("out", "--out", "the folder for the embeddings")),
    "eval": (("dataset", "--dataset", "a dataset dir"),),
    "tags": (("file", "FILE", "an audio file"),),
    "demo": (("dir", "DIR", "a folder for the demo music, or leave DIR out"),),
}
"""Per command, its arguments that name a file or folder: (attribute, as the user wrote it,
what it should name). An empty one is refused by :func:`check_paths_given`."""


def check_paths_given(args: argparse.Namespace) -> None:
    """Refuse an empty or all-space path argument (:func:`musicsage.library.paths.given_path`)
    before anything is opened or made: an empty path otherwise meant the current folder
    (``export ''`` wrote a dataset into it) or was quietly ignored (``train --out ''``)."""
    from musicsage.library.paths import given_path

    for attr, label, what in PATH_ARGUMENTS.get(args.command, ()):
        value = getattr(args, attr, None)
        for one in value if isinstance(value, list) else [value]:
            given_path(one, label, what)


def check_inputs_first(args: argparse.Namespace) -> None:
    """Refuse, before the data dir is made, a command that may start a library but names
    input that is not there: ``scan /typo`` or ``import /typo`` into a new ``--data-dir``
    left an empty library behind; or that names an empty path (:func:`check_paths_given`);
    or an ``import`` or a ``demo`` that would be refused (:func:`check_dataset_first`,
    :func:`check_demo_first`). The use cases check again
    (the window calls them)."""
    if args.command == "train":
        _out_given_once(args)
    check_paths_given(args)
    if args.command == "scan" and (args.paths or args.playlists):
        from musicsage.commands.scan_hints import with_music_hint
        from musicsage.usecases.library import checked_scan_paths

        try:  # kept for the scan itself, so that no file read here is read again
            args.checked = checked_scan_paths(args.paths, args.playlists)
        except MusicsageError as exc:  # `scan --playlists ~/Music`: say why, not only that
            raise with_music_hint(args, exc) from None
    elif args.command == "import":
        check_dataset_first(args)
    elif args.command == "demo":
        check_demo_first(args)


def _out_given_once(args: argparse.Namespace) -> None:
    """``train --dataset DIR OUT`` as ``train --dataset DIR --out OUT`` (the form people
    type first; argparse said "unrecognized arguments", exit 2); refused when both name
    different folders."""
    if args.out_dir is None:
        return
    if args.out is not None and args.out != args.out_dir:
        raise MusicsageError(f"two output dirs given ({args.out_dir!r} and --out {args.out!r}):"
                             " give one")
    args.out = args.out_dir


def check_dataset_first(args: argparse.Namespace) -> None:
    """Every refusal of ``import``'s files — no tracks.csv, an empty one, text that is not
    UTF-8, a duplicate id, a features.npy that does not fit — before a new library is made:
    a refused ``import`` into a new ``--data-dir`` left an empty library and ``cache/``
    there. The files are read the import's own way (:func:`read_dataset`), only when there
    is no library yet (the import into an existing one is a single transaction, which a
    refusal leaves unchanged), and kept as ``args.dataset_read`` for the import itself
    (``_import``): read again there, they cost a first import of 50k tracks 2 s more CPU."""
    from musicsage.library.dataset_read import read_dataset
    from musicsage.usecases.library import checked_dataset_dir

    checked_dataset_dir(args.dir)
    args.dataset_read = None
    if not AppContext.create(args.data_dir, library=LibraryUse.NONE).has_library():
        args.dataset_read = read_dataset(args.dir)  # makes nothing


def check_demo_first(args: argparse.Namespace) -> None:
    """Every refusal of ``demo`` — its arguments, its folder (the user's own files, another
    library's demo), a library it cannot write or open (another program's database, a
    damaged one) — before the data dir is made: a refused ``demo`` left ``cache/`` (and could
    leave ``demo-state.json``) in a data dir it had just created, and one whose database
    opening refuses rendered all its music (17 s, 100 MB) before it said so."""
    from musicsage.demo.guards import no_library_here
    from musicsage.usecases.demo import check_demo

    ctx = AppContext.create(_demo_data_dir(args), library=LibraryUse.NONE)  # makes nothing
    no_library_here(ctx.data_dir)  # `scan`'s words for the same cause
    if ctx.data_dir.is_dir():
        if problem := ctx.library_problem():
            raise MusicsageError(problem)
        require_writable(ctx)
    check_demo(ctx, n_tracks=args.tracks, seed=args.seed, seconds=args.seconds,
               music_dir=args.dir, until=args.until)


def _demo_data_dir(args: argparse.Namespace) -> "str | None":
    """The library ``demo`` builds into, as :func:`~musicsage.commands.demo._demo_library`
    chooses it: ``--data-dir``; else the demo's own, unless the default library already holds
    a demo. The checks looked at the default library instead: a damaged database of the
    user's own refused a demo that never touches it."""
    from musicsage.usecases.demo import builds_apart, demo_data_dir

    return str(demo_data_dir()) if builds_apart(args.data_dir) else args.data_dir


def require_writable(ctx: AppContext) -> None:
    """Refuse, before minutes of work, a command that must store into a library it cannot
    write (a read-only folder or mount): the failure would otherwise come at its end."""
    problem = ctx.writable_problem()
    if problem:
        raise MusicsageError(f"{problem}; this command stores into the library")


def check_limit(limit: int | None) -> None:
    """``--limit N`` (embed, tags): at most N tracks; 0 or less would do nothing and say
    "done", so it is refused."""
    if limit is not None and limit < 1:
        raise MusicsageError("--limit must be at least 1")


def check_threads(threads: int | None) -> None:
    """``embed --threads N``: at least one core, refused with ``--limit``'s checks. The
    analysis refused 0 or -1 only once it had a track to analyse: with nothing to embed the
    command said "done" and exit 0 (and a script's typo showed only on the day music came)."""
    if threads is not None and threads < 1:
        raise MusicsageError(f"--threads must be at least 1, got {threads} (leave it out to "
                             "use every core)")


def check_m3u(m3u: str | None, ctx: AppContext, *, json: bool = False) -> None:
    """``--m3u FILE`` (similar, suggest, radio) refused before any work for every reason its
    write would refuse it: an empty FILE (``--m3u ""``, an unset variable in a script) named
    no file, and the list went unwritten without a word; then, by the write's own
    :func:`~musicsage.usecases.search.check_m3u_destination`, in its order, a library
    playlist, and on a link's target a missing folder, a folder, a read-only file or one
    musicsage did not write. A list of 50 tracks (a model's work) was built first, then
    refused. ``--m3u -`` (:data:`M3U_STDOUT`) with ``--json``: both would be stdout."""
    from musicsage.usecases.search import check_m3u_destination

    if m3u is None:
        return
    if not m3u.strip():
        raise MusicsageError("--m3u is empty: give the playlist file to write (nothing was "
                             "written)")
    if m3u == M3U_STDOUT:
        if json:
            raise MusicsageError("--m3u - writes the playlist to stdout, where --json writes "
                                 "its object: give --m3u a file, or leave out --json (a file "
                                 "named '-' is ./-); nothing was written")
        return
    check_m3u_destination(ctx, m3u)  # the write's own checks, in its order


M3U_STDOUT = "-"
"""``--m3u -``: the playlist on stdout in place of the list (the usual convention: it wrote
a file named ``-`` in the current folder, which ``./-`` still names), for ``| mpv
--playlist=-`` or ``> x.m3u8``; the line that says what was written, and the notes, go to
stderr as ever."""


def m3u_to_stdout(m3u: str | None) -> bool:
    """Whether ``--m3u`` writes the playlist on stdout: the list is not printed then."""
    return m3u == M3U_STDOUT


def m3u_shown(m3u: str) -> str:
    """Where ``--m3u`` wrote, as its stderr line says it: "stdout" for ``-``."""
    return "stdout" if m3u_to_stdout(m3u) else m3u


def write_m3u_option(m3u: str, ctx: AppContext, tracks, *, name: str | None = None):
    """Write ``--m3u``'s playlist (:func:`musicsage.usecases.search.write_m3u`: its file,
    or, for ``-``, stdout, the bytes of :func:`~musicsage.usecases.search.m3u_playlist`: the
    same name and entries) and return what it wrote (:class:`~musicsage.search.m3u.Written`)."""
    import sys

    from musicsage.usecases.search import m3u_playlist, write_m3u

    if not m3u_to_stdout(m3u):
        return write_m3u(m3u, tracks, name=name, ctx=ctx)
    data, written = m3u_playlist(tracks, name=name, ctx=ctx)
    sys.stdout.flush()  # UTF-8 whatever the locale: M3U8 is
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return written
