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
were recorded, or a file a stopped build rendered before it could hash it, is told by its
recorded size only (another size: moved aside); with none recorded (a playlist of such a
manifest) it is deleted, as before.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ASIDE_SUFFIX = ".yours"
"""Added to the name of a file moved aside: not an extension the scan reads, and it says
whose the file is taken to be."""


def file_digest(path: Path) -> str:
    """The SHA-256 of the file at ``path``, in hex (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def written_hashes(manifest: dict) -> dict[str, str] | None:
    """The SHA-256 of each file as the generator wrote it; None for a manifest written before
    hashes were recorded (an entry that is not text is ignored)."""
    hashes = manifest.get("hashes")
    if not isinstance(hashes, dict):
        return None
    return {name: value for name, value in hashes.items() if isinstance(value, str)}


def is_as_written(path: Path, name: str, manifest: dict) -> bool:
    """Whether the file ``name`` of ``manifest``, at ``path``, is still as the demo wrote it
    (see the module doc); a file that cannot be read is not known to be: it is kept. A build
    stopped half-way (Ctrl-C, a kill) hashed nothing it rendered yet: such a file is told by
    its recorded size, if any, as the resumed build trusts it (:func:`hashes_of`) — taken
    for the user's, every track of a demo cancelled, then rebuilt with other settings, was
    moved aside."""
    hashes = written_hashes(manifest)
    try:
        if hashes is not None and name in hashes:
            return file_digest(path) == hashes[name]
        if hashes is not None and manifest.get("complete"):
            return False  # a finished demo hashed every file it wrote: not one of them
        sizes = manifest.get("sizes")
        size = sizes.get(name) if isinstance(sizes, dict) else None
        return type(size) is not int or os.stat(path).st_size == size
    except OSError:
        return False


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


def kept_notes(music_dir: Path, kept: list[Path]) -> list[str]:
    """The one line (none when ``kept`` is empty) that says which files, not as the demo
    wrote them, were moved aside instead of deleted, and under which name."""
    return [kept_note(music_dir, kept)] if kept else []


def kept_note(music_dir: Path, kept: list[Path]) -> str:
    """:func:`kept_notes`' line."""
    first = os.path.relpath(kept[0], music_dir)
    if len(kept) == 1:
        return (f"a file at one of the demo's names in {music_dir} was not as the demo "
                f"wrote it (yours?): kept as {first}; the new demo writes its own")
    return (f"{len(kept)} files at the demo's names in {music_dir} were not as the demo "
            f"wrote them (yours?): kept, '{ASIDE_SUFFIX}' added to their names ({first} and "
            f"{len(kept) - 1} more); the new demo writes its own")


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
