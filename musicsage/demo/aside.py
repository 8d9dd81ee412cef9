"""Files at the demo's names that are not the demo's: told apart by content, moved aside.

Why: a rebuild of the demo with other settings deleted every file its manifest listed, so a
file the user had saved under a demo track's or playlist's name (a track re-encoded or
tagged anew, a playlist edited in another player, a recording of their own) was lost — and
the app never deletes a file it did not create. Keeping such a file where it was is no
answer either: the new demo then took it for its own track and scanned it.

The rule: the manifest records the SHA-256 of each file as the generator wrote it
(``hashes``). A listed file is deleted only when its content is still exactly that; any
other is moved aside to ``NAME.yours`` (``NAME.yours-2`` … when taken) — a name the scan
does not read as music or playlist — and one line says so. A manifest written before hashes
were recorded (a demo built by an earlier version) is finished when the manifest is written,
so a file of it is the demo's only while its size is the one recorded (tracks) and it was
last changed no later than the manifest file itself (tracks and playlists): by size alone a
track tagged anew in place (same size) and an edited playlist (no size recorded) were
deleted. Such a manifest gets hashes the first time it is written again (:func:`first_hashes`:
a file that fails that test is recorded as ``""``, never the demo's). A file a stopped build
rendered before it could hash it is told by its recorded size only, as the resumed build
trusts it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.demo.plan import DemoPlan

ASIDE_SUFFIX = ".yours"
"""Added to the name of a file moved aside: not an extension the scan reads, and it says
whose the file is taken to be."""


def file_digest(path: Path) -> str:
    """The SHA-256 of the file at ``path``, in hex."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def written_hashes(manifest: dict) -> dict[str, str] | None:
    """The SHA-256 of each file as the generator wrote it; None for a manifest written before
    hashes were recorded (an entry that is not text is ignored)."""
    hashes = manifest.get("hashes")
    if not isinstance(hashes, dict):
        return None
    return {name: value for name, value in hashes.items() if isinstance(value, str)}


def written_check(manifest: dict, manifest_file: Path) -> Callable[[Path, str], bool]:
    """Whether a file ``name`` of ``manifest`` (read from ``manifest_file``), at ``path``, is
    still as the demo wrote it (see the module doc); a file that cannot be read is not known to
    be: it is kept. What the manifest records is read once here (it was read again for each
    file: 74 s for 20,000). A build stopped half-way (Ctrl-C, a kill) hashed nothing it
    rendered yet: such a file is told by its recorded size, if any, as the resumed build
    trusts it (:func:`hashes_of`) — taken for the user's, every track of a demo cancelled,
    then rebuilt with other settings, was moved aside."""
    hashes, complete = written_hashes(manifest), bool(manifest.get("complete"))
    sizes = manifest.get("sizes") if isinstance(manifest.get("sizes"), dict) else {}
    written_at = None
    if hashes is None and complete:  # an earlier version's finished demo
        try:
            written_at = os.stat(manifest_file).st_mtime_ns
        except OSError:
            written_at = -1  # not known when it was written: no file is known to be the demo's

    def as_written(path: Path, name: str) -> bool:
        try:
            if hashes is not None and name in hashes:
                return bool(hashes[name]) and file_digest(path) == hashes[name]
            if hashes is not None and complete:
                return False  # a finished demo hashed every file it wrote: not one of them
            size, st = sizes.get(name), os.stat(path)
            if written_at is not None and st.st_mtime_ns > written_at:
                return False  # changed after the demo was finished: tagged anew, edited
            return type(size) is not int or st.st_size == size
        except OSError:
            return False

    return as_written


def first_hashes(music_dir: Path, manifest: dict, manifest_file: Path) -> dict[str, str]:
    """Hashes for the files of an earlier version's finished ``manifest`` (none recorded; read
    from ``manifest_file``), taken before it is written again (a repair, or its owner
    recorded), which makes the manifest's own time that of the rewrite: each file as it is
    now when :func:`written_check` takes it for the demo's, ``""`` when not (the user's:
    moved aside, never deleted, by a later rebuild); none for a file gone (rendered again,
    then hashed). Why: a repair hashed every file as it was then, the user's edits too, and
    the next rebuild deleted them."""
    as_written = written_check(manifest, manifest_file)
    hashes = {}
    for name in manifest.get("files", []):
        path = Path(music_dir, *name.split("/"))
        if not os.path.lexists(path):
            continue
        try:
            hashes[name] = file_digest(path) if as_written(path, name) else ""
        except OSError:  # cannot be read: not known to be the demo's
            hashes[name] = ""
    return hashes


def move_aside(path: Path) -> Path:
    """Rename ``path`` to a free ``NAME.yours`` beside it (never over another file) and
    return the new name."""
    for n in range(1, 1000):
        target = path.with_name(path.name + ASIDE_SUFFIX + ("" if n == 1 else f"-{n}"))
        if os.path.lexists(target):
            continue
        try:  # a link, then the unlink: never over a file that appeared meanwhile
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:  # a folder, a filesystem without hard links: the name was free above
            os.rename(path, target)
            return target
        os.unlink(path)
        return target
    raise FileExistsError(f"no free name beside {path} to move it aside")


def kept_notes(music_dir: Path, kept: list[Path], plan: DemoPlan) -> list[str]:
    """The one line (none when ``kept`` is empty) that says which files, not as the demo
    wrote them, were moved aside instead of deleted, and under which name; and, for those
    whose name is one of ``plan``'s files (the new demo's), that the new demo writes its
    own there — said of every file, it was wrong for an old track's name the new plan has
    not."""
    planned = {t.relpath for t in plan.tracks} | {p.relpath for p in plan.playlists}
    return [kept_note(music_dir, kept, planned)] if kept else []


def kept_note(music_dir: Path, kept: list[Path], planned: set[str]) -> str:
    """:func:`kept_notes`' line (``planned``: the new demo's file names)."""
    first = os.path.relpath(kept[0], music_dir)
    replaced = sum(_moved_from(music_dir, path) in planned for path in kept)
    if len(kept) == 1:
        return (f"a file at one of the demo's names in {music_dir} was not as the demo "
                f"wrote it (yours?): kept as {first}"
                + ("; the new demo writes its own" if replaced else ""))
    if replaced == len(kept):
        own = "; the new demo writes its own"
    else:
        own = f"; the new demo writes its own at {replaced} of those names" if replaced else ""
    return (f"{len(kept)} files at the demo's names in {music_dir} were not as the demo "
            f"wrote them (yours?): kept, '{ASIDE_SUFFIX}' added to their names ({first} and "
            f"{len(kept) - 1} more){own}")


ASIDE_KEY = "aside"
"""The manifest's list of the files an unfinished build moved aside (their new names, as
``files`` spells names): the line saying so came only with the generate stage's end, so a
build stopped while it rendered (Ctrl-C, Cancel, a kill) moved files without a word, and the
resumed build, of the same plan, moved nothing and said nothing. Recorded, they are said by
the stop and by every resumed build until the stage ends (then the finished manifest drops
them, said)."""


def recorded_aside(music_dir: Path, manifest: dict | None) -> list[Path]:
    """The files ``manifest``'s unfinished build moved aside (:data:`ASIDE_KEY`) that are still
    there; none for a finished one, or for names that are not safe ones inside ``music_dir``."""
    if not manifest or manifest.get("complete") or not isinstance(manifest.get(ASIDE_KEY), list):
        return []
    names = [n for n in manifest[ASIDE_KEY] if isinstance(n, str) and is_safe_name(n)]
    return [path for path in (Path(music_dir, *n.split("/")) for n in names)
            if os.path.lexists(path)]


def is_safe_name(name: str) -> bool:
    """A relative POSIX path made only of ordinary components (no ``..``, ``.``, ``\\``, NUL):
    never one outside the folder. The manifest's ``files`` and its :data:`ASIDE_KEY` list are
    checked alike (:mod:`musicsage.demo.manifest` imports it from here: this module may not
    import that one, which imports it)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return all(p not in ("", ".", "..") for p in parts)


def aside_names(music_dir: Path, kept: list[Path]) -> list[str]:
    """``kept`` (files moved aside) as :data:`ASIDE_KEY` lists them: relative, with ``/``."""
    return [Path(os.path.relpath(path, music_dir)).as_posix() for path in kept]


def stopped_aside_note(music_dir: Path, manifest: dict | None) -> str | None:
    """:func:`kept_note`'s line for the files ``manifest``'s unfinished build moved aside, or
    None: said when the build stops, which otherwise said nothing of them."""
    kept = recorded_aside(music_dir, manifest)
    if not kept:
        return None
    return kept_note(music_dir, kept, set(manifest.get("files") or []))


def _moved_from(music_dir: Path, kept: Path) -> str:
    """The name (as a manifest lists it) that ``kept``, a file :func:`move_aside` renamed,
    had."""
    name = kept.name[:kept.name.rindex(ASIDE_SUFFIX)]
    return Path(os.path.relpath(kept.with_name(name), music_dir)).as_posix()


def at_planned_names(music_dir: Path, names: list[str]) -> list[Path]:
    """Whatever is at one of ``names`` (the new plan's files) once the old demo's own files
    are gone: not written by the old demo (a file of the user's, one moved aside failed, a
    link), so it is moved aside rather than taken for the new demo's file."""
    return [Path(music_dir, *name.split("/")) for name in names
            if os.path.lexists(Path(music_dir, *name.split("/")))]


def hashes_of(music_dir: Path, files: list[str], recorded: dict[str, str], written: list[str],
              *, resumed: bool) -> dict[str, str]:
    """Each file's SHA-256 for a finished demo's manifest: of a file ``written`` by this run,
    as it is now; another keeps its ``recorded`` one. One with none recorded is hashed as it
    is only when the run ``resumed`` a build of the same plan (rendered before a kill, as
    :func:`~musicsage.demo.library._sizes_of` trusts its size); else it has none — a later
    rebuild moves it aside rather than deleting it."""
    fresh = set(written)
    hashes = {}
    for name in files:
        if name in recorded and name not in fresh:
            hashes[name] = recorded[name]
        elif name in fresh or resumed:
            try:
                hashes[name] = file_digest(Path(music_dir, *name.split("/")))
            except OSError:  # gone meanwhile: the next run finds it gone
                pass
    return hashes
