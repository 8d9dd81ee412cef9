"""The demo folder's manifest (``musicsage-demo.json``) and the rules for trusting it.

The manifest says which files the demo generator wrote into a folder, so that a later run can
replace an old demo (another seed, size or generator version) without touching anything else.
It is a plain file in a folder the user can write to — or that someone handed them — so it is
read as untrusted input:

- **Shape**: a JSON object with a ``fingerprint`` (text) and ``files`` (a list of text). Anything
  else (a list, missing keys, wrong types) is refused with a one-line :class:`MusicsageError`
  instead of being half-used.
- **Names**: every listed file must be a relative POSIX path inside the folder: no absolute
  path, no ``..`` component, no empty or ``.`` component, no backslash, no NUL. A manifest
  listing one such name is refused as a whole (it was not written by the generator).
- **Deleting**: a listed file is removed only if it is, right now, a regular file (not a
  symbolic link: a link's target may be anyone's file) with an extension the generator writes,
  whose folder resolves (symlinks followed) inside the demo folder. Emptied folders are removed
  the same way, deepest first, never the demo folder itself. Anything that fails these checks
  is left where it is; a file no longer as the demo wrote it (``hashes``) is moved aside
  (:mod:`musicsage.demo.aside`).
- **Sizes**: the manifest records each track's size as written (``sizes``); a track that
  begins as no audio format, or as its own but ends in 4 KiB of zero bytes, or that is
  smaller or begins as another format and which the scan's probe reads as damaged, was cut
  short, emptied or written over with garbage since, and is rendered again
  (:func:`unsound_files`). One that reads whole (a tag editor's added cover or "Remove
  tags", a track re-encoded under its name) is the user's: it is left as it is.
  Manifests written before sizes were recorded get no size check (only a file gone counts).
- **Owner**: the manifest names the data dir of the library whose demo wrote it (``library``;
  older manifests name none: their owner is the library whose ``demo-state.json`` names the
  folder). A library never regenerates, rewrites or deletes another library's demo, nor uses
  it as its own: another library's folder would lose or change files that library still
  lists (:func:`check_owner`).
"""

from __future__ import annotations

import json
import os
import stat
from contextlib import suppress
from pathlib import Path, PurePosixPath

from musicsage.demo.aside import is_safe_name  # one rule for files and the aside list
from musicsage.demo.state import named_folder, read_state, state_path
from musicsage.errors import MusicsageError

MANIFEST = "musicsage-demo.json"
GENERATED_EXTENSIONS = frozenset({".flac", ".ogg", ".mp3", ".m3u8", ".xspf"})
"""What the generator writes (audio formats and playlist formats); nothing else is deleted."""


class BadManifest(MusicsageError):
    """A manifest that cannot be trusted (wrong shape or a file name outside the folder)."""


class ForeignDemo(MusicsageError):
    """The folder holds the demo of another library (see :func:`check_owner`)."""


def manifest_path(music_dir: Path) -> Path:
    return Path(music_dir) / MANIFEST


def read_manifest(music_dir: str | os.PathLike[str]) -> dict | None:
    """The folder's manifest, checked; None when there is none (or it is not JSON at all).

    Raises :class:`BadManifest` for JSON of the wrong shape or with unsafe file names.
    """
    path = manifest_path(Path(music_dir))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    check_manifest(data, path)
    return data


def check_manifest(data: object, path: Path) -> None:
    """Raise :class:`BadManifest` unless ``data`` has the shape and names the generator writes."""
    where = f"{path}: not a musicsage demo manifest"
    if not isinstance(data, dict):
        raise BadManifest(f"{where} (a JSON {type(data).__name__}, expected an object); "
                          "move it away or choose another folder")
    if not isinstance(data.get("fingerprint"), str):
        raise BadManifest(f"{where} (no 'fingerprint'); move it away or choose another folder")
    if not isinstance(data.get("library", ""), str):
        raise BadManifest(f"{where} ('library' is not a folder name); move it away or choose "
                          "another folder")
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise BadManifest(f"{where} ('files' is not a list of names); move it away or choose "
                          "another folder")
    for name in files:
        if not is_safe_name(name):
            raise BadManifest(f"{path}: lists {name!r}, which is not a file inside the demo "
                              "folder; nothing was deleted (move the manifest away or choose "
                              "another folder)")


def written_sizes(manifest: dict) -> dict[str, int]:
    """The size of each audio file as the generator wrote it (``sizes``: none in a manifest
    written before sizes were recorded; an entry that is not a whole number is ignored)."""
    sizes = manifest.get("sizes")
    if not isinstance(sizes, dict):
        return {}
    return {name: size for name, size in sizes.items() if type(size) is int}


def unsound_files(music_dir: str | os.PathLike[str],
                  manifest: dict) -> tuple[list[str], list[str]]:
    """The files ``manifest`` lists that are gone, and those damaged (cut short — a copy
    stopped half-way, an editor that emptied it — or written over with garbage). Why sizes: a
    truncated demo file was taken for present, so the demo said "ready" while the scan and
    the embedding failed on it and no later run rendered it again. A file that begins as no
    audio format at all, or begins as its own and ends in zeros (:func:`_damaged`), is
    garbage written over it, of the same size too (``dd conv=notrunc``, a preallocated copy
    that never got its data): it was "ready" and reused, unplayable, for good. A file in
    doubt — smaller than written, or beginning as another format — counts when it reads as
    damaged (:func:`reads_cut_short`): a user's tag edit grows a file (mutagen adds a comment
    or a cover) or shrinks it ("Remove tags"), and a track re-encoded under its name (FLAC in
    an ``.ogg``) does not begin as its extension says, yet the scan reads them; taken for
    damaged, each was rendered over, the user's file lost. A file in no
    doubt gets a look at its first 4 bytes and last 4 KiB, not the probe: each look at the
    demo (the window's Open) would probe them all. A file the manifest has no size for (one
    written before sizes were recorded, a playlist) is not checked."""
    sizes = written_sizes(manifest)
    gone, damaged = [], []
    for name in manifest.get("files", []):
        path = Path(music_dir, *name.split("/"))
        try:
            size = os.stat(path).st_size
        except OSError:
            gone.append(name)
            continue
        written = sizes.get(name)
        if written is None:
            continue
        if _damaged(path, size, written):
            damaged.append(name)
    return gone, damaged


def _damaged(path: Path, size: int, written: int) -> bool:
    """Whether the demo file at ``path`` (``size`` bytes now, ``written`` when rendered) is
    damaged. A start that is no audio format at all, or an end of zeros after the start of
    its own format, is garbage outright: the probe skips an MP3's zeroed ID3 tag to the next
    frame, and takes an Ogg's last intact page for its end, and called such files whole (the
    demo "ready", the track's tags or its second half lost). Only a file smaller than written
    or beginning as another real format (a re-encode under its name) goes to the probe."""
    garbage = begins_as_garbage(path)
    zeros = ends_in_zeros(path, size)
    if (garbage and not begins_as_another_format(path)) or (zeros and not garbage):
        return True
    return (size < written or garbage) and reads_cut_short(path)


AUDIO_STARTS = {".flac": (b"fLaC", b"ID3"), ".ogg": (b"OggS",), ".mp3": (b"ID3",)}
"""How the generator's files begin, by extension (FLAC, Ogg Vorbis, MP3 with its ID3v2 tag;
a FLAC some taggers gave an ID3v2 tag): a tag editor keeps it so; garbage written over the
file does not."""


def begins_as_garbage(path: Path) -> bool:
    """Whether the file at ``path`` begins as no audio of the format its extension names (an
    MP3 stripped of its ID3 tag begins with a frame header: audio too). Why by format: any
    ``0xFF 0xE0``+ start was taken for an MP3 frame's sync, so a file of 0xFF bytes (erased
    flash) or UTF-16 text (``FF FE``) written over a demo track stayed "ready". Garbage only
    to be probed (:func:`unsound_files`): a track re-encoded under its name begins so too."""
    starts = AUDIO_STARTS.get(path.suffix.lower())
    if starts is None:  # not a format the generator writes: not known to be garbage
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:  # not known to be garbage: left as it is
        return False
    return not (head.startswith(starts) or (path.suffix.lower() == ".mp3"
                                            and is_mpeg_frame_header(head)))


def begins_as_another_format(path: Path) -> bool:
    """Whether the file at ``path`` begins as audio of a format other than its extension
    names, as the scan's content sniffing tells it (``FLAC audio under the extension .ogg``):
    a track the user re-encoded under its name, which the scan reads. An MPEG sync counts
    only as a real MP3 frame header (0xFF bytes of erased flash and UTF-16 text pass the
    sniffing's sync test)."""
    from musicsage.library.content_format import content_format, misnamed

    try:
        fmt = content_format(path)
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:  # not known to be audio: garbage
        return False
    if not misnamed(path.suffix.lower().lstrip("."), fmt):
        return False
    return fmt != "mp3" or head.startswith(b"ID3") or is_mpeg_frame_header(head)


ZERO_TAIL = 4096
"""How much of a file's end :func:`ends_in_zeros` reads: every format the generator writes
ends in its own framing (a FLAC frame's CRC, an Ogg page, an MP3 frame or tag), never in 4
KiB of zero bytes."""


def ends_in_zeros(path: Path, size: int) -> bool:
    """Whether the last :data:`ZERO_TAIL` bytes of the file at ``path`` (``size`` bytes) are
    one byte repeated (zeros; 0xFF, erased flash): a copy of the size written that got only
    its first blocks (preallocated, or a disk that lost the rest) begins as audio, and stayed
    "ready", unplayable, for good. (Random bytes there are not told without the probe.)"""
    try:
        with open(path, "rb") as f:
            f.seek(max(0, size - ZERO_TAIL))
            tail = f.read(ZERO_TAIL)
    except OSError:  # not known to be garbage: left as it is
        return False
    return bool(tail) and len(set(tail)) == 1


def is_mpeg_frame_header(head: bytes) -> bool:
    """Whether ``head`` begins with an MP3 frame header: 11 sync bits, a version that is not
    the reserved one, layer III, a bitrate index not 0 (free) or 15 (bad), a sample rate
    index not 3 (reserved). The sync bits alone pass one random file in 2,048, and UTF-16
    text (``FF FE``, read as layer I) every time."""
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer == 0b01 and bitrate not in (0, 15) and rate != 0b11


def reads_cut_short(path: Path) -> bool:
    """Whether the file at ``path``, in doubt (:func:`unsound_files`), is damaged as the
    scan's probe reads it (its audio ends early, an Ogg file ends inside a page, it cannot be
    read at all). Doubt alone is no damage: a tag editor's "Remove tags" shrinks a whole file,
    which was rendered again, the user's edit lost."""
    from musicsage.library.tags import probe

    try:
        return probe(str(path)).ends_mid_page
    except Exception:  # noqa: BLE001 - cut short, damaged, unreadable: all are rendered again
        return True


def nearest_existing(folder: Path) -> Path:
    """``folder``, or while it does not exist the nearest path above it (the one a write into
    it must make its folders in; a file there is in the way)."""
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def blocked_folder(folder: Path) -> Path | None:
    """What stops this process writing into ``folder`` (while it does not exist: the nearest
    path above it): that folder when it is not writable, a file in the way of it; else None."""
    found = nearest_existing(folder)
    return None if found.is_dir() and os.access(found, os.W_OK | os.X_OK) else found


def blocked_words(found: Path) -> str:
    """What :func:`blocked_folder` found, and what to do: "P is not writable; make it
    writable", or for a file where a folder must go, "a file is in the way at P; move it
    away" (told as "not writable" before, and making it writable changed nothing)."""
    if found.is_dir():
        return f"{found} is not writable; make it writable"
    return f"a file is in the way at {found}; move it away"


def write_manifest(music_dir: Path, data: dict) -> None:
    """Write atomically (temporary name, then rename). A write that fails (a full disk) takes
    its ``.part`` away with it: the half-written file stayed, taking room on the full disk
    (:mod:`musicsage.demo.library` says the failure in one line)."""
    tmp = Path(music_dir) / f".{MANIFEST}.part"
    text = json.dumps(data, indent=1, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a data dir named in bytes that are not UTF-8: "unexpected
        text = json.dumps(data, indent=1)  # error … a bug"; JSON's \u escapes say them
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, manifest_path(music_dir))
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def _inside(path: Path, root_real: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def removable(music_dir: Path, name: str) -> Path | None:
    """The file ``name`` of the manifest if the rules above let us delete it, else None."""
    if not is_safe_name(name) or PurePosixPath(name).suffix.lower() not in GENERATED_EXTENSIONS:
        return None
    path = Path(music_dir, *name.split("/"))
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a symlink (whatever it points to), a folder, a device…
    return path if _inside(path.parent, os.path.realpath(music_dir)) else None


def remove_listed_files(music_dir: str | os.PathLike[str], manifest: dict,
                        kept: list[Path] | None = None) -> int:
    """Delete the files ``manifest`` lists (see the module rules) and the folders they leave
    empty. Returns the number of files deleted. A file that is not as the demo wrote it is
    moved aside instead, its new name added to ``kept`` (:mod:`musicsage.demo.aside`: a
    user's file saved under a demo name was deleted). The manifest itself stays, for the
    new demo's to replace: a kill before that left the ``NAME.yours`` files in a folder with
    no manifest, which every later run refused as not the demo's."""
    from musicsage.demo.aside import move_aside, written_check

    music_dir = Path(music_dir)
    as_written = written_check(manifest, manifest_path(music_dir))
    root_real = os.path.realpath(music_dir)
    deleted = 0
    folders: set[Path] = set()
    for name in manifest.get("files", []):
        path = removable(music_dir, name)
        if path is None:
            continue
        if not as_written(path, name):
            moved = move_aside(path)
            if kept is not None:
                kept.append(moved)
            continue
        path.unlink()
        deleted += 1
        folders.update(p for p in path.parents if p != music_dir and music_dir in p.parents)
    for folder in sorted(folders, key=lambda p: -len(p.parts)):  # deepest first
        if folder.is_symlink() or not _inside(folder, root_real):
            continue
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            pass
    return deleted


def check_folder(music_dir: str | os.PathLike[str]) -> None:
    """Raise unless ``music_dir`` is absent, empty (hidden files aside) or holds a demo: the
    demo never writes into a folder of someone's own files. A manifest of the wrong shape is
    refused too (:class:`BadManifest`)."""
    music_dir = Path(music_dir)
    if read_manifest(music_dir) is not None or not music_dir.exists():
        return
    if not music_dir.is_dir():
        raise MusicsageError(f"{music_dir} is not a folder")
    if any(not p.name.startswith(".") for p in music_dir.iterdir()):
        raise MusicsageError(f"{music_dir} is not empty and holds no musicsage demo; "
                             "choose an empty or new folder")


def check_owner(music_dir: str | os.PathLike[str], library: Path | None) -> None:
    """Refuse ``music_dir`` when it holds the demo of a library other than ``library`` (a data
    dir; None: no library, a script calling the generator): regenerating it would change or
    delete files that library lists as its music. A demo no library claims any more (its
    data dir deleted or moved) is free to reuse. Nothing is touched."""
    music_dir = Path(music_dir)
    manifest = read_manifest(music_dir)
    if manifest is None:
        return
    owner = demo_owner(music_dir, manifest, library)
    if owner is None or (library is not None and _same_folder(owner, library)):
        return
    raise ForeignDemo(f"{music_dir} is the demo music of the library at {owner}; nothing was "
                      "changed: give this demo a new folder, or use --data-dir "
                      f"{owner} to rebuild that library's demo")


def demo_owner(music_dir: Path, manifest: dict, library: Path | None) -> Path | None:
    """The data dir whose demo ``music_dir`` holds: one whose demo state names the folder —
    the library its manifest names, ``library``, or the folder's parent (the default layout,
    ``DATA/demo-music``; an older manifest names no library); else None (no library claims
    it)."""
    named = manifest.get("library")
    for candidate in (Path(named) if named else None, library, music_dir.parent):
        if candidate is not None and _state_names(candidate, music_dir):
            return candidate
    return None


def _state_names(data_dir: Path, music_dir: Path) -> bool:
    """Whether the demo state of ``data_dir`` names ``music_dir`` — a damaged one too, by the
    folder it still names, and one naming none that can be read (cut short): read as no
    claim, another library took the folder over and deleted the demo this library lists as
    its music."""
    state, path = read_state(data_dir), state_path(data_dir)
    named = Path(state.music_dir) if state is not None else named_folder(path)
    if named is None:
        return os.path.lexists(path)
    return _same_folder(named, music_dir)


def _same_folder(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def remove_partials(music_dir: str | os.PathLike[str], names: list[str]) -> None:
    """Temporary files of an interrupted run: ``.<name>.part`` beside each file ``names``
    lists (the plan's or an old manifest's), and the manifest's own; regular files only, in
    folders inside ``music_dir``. Why not every ``.*.part``: the folder may hold a user's own
    hidden ``.draft.part`` — the demo deletes only what it wrote."""
    music_dir = Path(music_dir)
    root_real = os.path.realpath(music_dir)
    for name in [*names, MANIFEST]:
        if not is_safe_name(name):
            continue
        final = PurePosixPath(name)
        path = Path(music_dir, *final.parent.parts, f".{final.name}.part")
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and _inside(path.parent, root_real):
            path.unlink(missing_ok=True)
