"""Whether a saved graph model's file is whole, checked without torch.

Why a module of its own: ``models``, ``stats`` and the window list every model with whether
its files are whole, on every snapshot; importing :mod:`~musicsage.graph.checkpoint` for that
imported torch into the window's process (seconds and hundreds of MB). This module imports
only the standard library; :func:`~musicsage.graph.checkpoint.load_checkpoint` calls it too.
"""

from __future__ import annotations

import copy
import errno
import io
import lzma
import pickletools
import re
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Callable

from musicsage.errors import TRAIN_HINT, MusicsageError

#: :func:`archive_problem`'s answer for an archive whose index (at its end) cannot be read
CUT_SHORT = "it is cut short or damaged (its archive's index cannot be read)"
#: :func:`archive_problem`'s answer for a file that begins with zero bytes, as no saved model
#: (a zip archive, or torch's pickle stream before 1.6) does: blocks lost in a crash or a copy
#: read back as zeros. Only a zip was checked, so such a model.pt was listed "ok" and ``stats``
#: called the current model whole while it placed no new track
ZERO_FILLED = "it begins with zero bytes, as no saved model does (lost in a crash or a copy?)"
#: :func:`archive_problem`'s answer for a file that begins as neither of torch's formats do
#: (random bytes, text, another program's file): only zeros were caught, so such a model.pt
#: was listed "ok" too
NOT_A_MODEL = ("it begins as no saved model does (neither a zip archive nor torch's older "
               "format: overwritten by another file?)")
#: :func:`archive_problem`'s answer for an empty file: NOT_A_MODEL's "overwritten by another
#: file?" gave it another cause than ``models``' "model.pt is empty"
EMPTY = "it is empty (0 bytes)"
#: :func:`archive_problem`'s answer for a whole archive (or older pickle stream) whose
#: description names no musicsage graph model: another program's torch file, or any zip, put
#: in model.pt's place was listed "ok" by ``models`` and refused only once picked
FOREIGN = "it holds no musicsage graph model (another program's file?)"
#: :func:`archive_problem`'s answer for a musicsage model.pt whose description gives another
#: data fingerprint than its model's row: a file of another model, or another library, copied
#: over it. It loaded, and placed new tracks with weights that never made the saved vectors
OTHER_MODEL = ("it holds another graph model (trained on other data: copied from another "
               "model or library?)")
#: what :meth:`~musicsage.graph.data.GraphData.fingerprint` gives: only two of these are
#: compared (a row written by hand or by a test holds something else, and tells nothing)
_DIGEST = re.compile(r"[0-9a-f]{16}")
#: the ``format`` a musicsage graph model's description gives, and the earlier layouts' that
#: still load (-> their version): :mod:`~musicsage.graph.checkpoint` writes and reads these
FORMAT = "musicsage-graph"
LEGACY_FORMATS = {"musicsage-graph-1": 1}
#: how much of a description is read for its ``format``: musicsage writes it first, so it
#: lies in the first bytes; a foreign pickle of any size is never read whole for it
_DESCRIPTION_HEAD = 1 << 16
#: the first bytes of a file torch saves: a zip archive (torch 1.6 on), or before that a
#: pickle stream (protocol 2 or later begins with its PROTO opcode, 0x80)
_ZIP_HEAD, _PICKLE_HEAD = b"PK\x03\x04", b"\x80"


class CheckpointUnreadable(MusicsageError):
    """model.pt is there but the user may not read it (permissions): no damage, and
    retraining would not mend it. ``reason``: the system's words ("Permission denied")."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot read the graph model {path}: {reason}")
        self.reason = reason


class CheckpointDamaged(MusicsageError):
    """model.pt is not whole as it was saved: retrain it. ``reason``: :func:`archive_problem`'s
    words, carried to ``files_problem`` as found by the load (reading them again through
    :func:`archive_problem_once` could give another answer, or none)."""

    def __init__(self, path: Path, reason: str) -> None:
        # OTHER_MODEL is a musicsage model that reads whole: "is not a readable graph model:
        # it holds another graph model" misled (``embed``'s note showed it)
        said = (reason.removeprefix("it ") if reason == OTHER_MODEL
                else f"is not a readable graph model: {reason}")
        super().__init__(f"{path} {said}; retrain it ({TRAIN_HINT})")
        self.reason = reason


def archive_problem(path: str | Path, fingerprint: str | None = None) -> str | None:
    """Why ``path`` is not whole as :func:`~musicsage.graph.checkpoint.save_checkpoint`
    wrote it, or None: checked against the zip archive's own CRC-32 of every entry
    (milliseconds for a model's size); a file that begins with zero bytes
    (:data:`ZERO_FILLED`) or with anything else neither of torch's formats begins with
    (:data:`NOT_A_MODEL`), or is empty (:data:`EMPTY`), is damage too; so is a whole one
    whose description names no musicsage graph model (:data:`FOREIGN`), or, given the
    ``fingerprint`` of its model's row, another data fingerprint (:data:`OTHER_MODEL`).

    Why: ``torch.load`` reads the archive's entries without checking their CRCs, so weights
    changed on disk since they were saved (a bad sector, a copy gone wrong, a stray write)
    loaded as if whole. A file in torch's format before 1.6 (a pickle stream) is left to
    ``torch.load`` to judge whole, once its description is found to be musicsage's (else
    :data:`FOREIGN`, as for an archive). An OSError the system gave another errno than
    EIO's (a file the user may not read) raises :class:`CheckpointUnreadable`: it is no damage, and
    retraining would not mend it. One without errno (bz2's "Invalid data stream" for a part
    whose compression field was overwritten) came from the bytes: damage."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
        if not head:
            return EMPTY
        if head == bytes(4):
            return ZERO_FILLED
        if head.startswith(_PICKLE_HEAD):
            return _judged(lambda: open(path, "rb"), fingerprint)
        if head != _ZIP_HEAD:
            return NOT_A_MODEL
        with zipfile.ZipFile(path) as archive:
            return _entries_problem(archive) or _description_problem(archive, fingerprint)
    except zipfile.BadZipFile:
        return CUT_SHORT
    except OSError as exc:
        if exc.errno is not None and exc.errno != errno.EIO:
            raise CheckpointUnreadable(Path(path), exc.strerror or type(exc).__name__) from None
        return f"it cannot be read whole ({type(exc).__name__})"
    except (EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error,
            lzma.LZMAError) as exc:  # a compression field overwritten: 8 zlib, 14 lzma
        # RuntimeError: a guard only; zipfile raises it opening a part marked encrypted,
        # which _entries_problem reports as damage before it opens one
        return f"it cannot be read whole ({type(exc).__name__})"


_ARCHIVE_CHECKS: dict[str, tuple[tuple, str | None]] = {}
""":func:`archive_problem_once`'s answers: one per path, with the stat stamp it was for."""


def archive_problem_once(path: Path, fingerprint: str | None = None) -> str | None:
    """:func:`archive_problem` of ``path``, read again only once the file changed (its size,
    mtime, ctime or inode): ``models`` and the window list the models on every snapshot. A
    copy restored over it with ``cp -p`` or ``rsync -a`` keeps the size and mtime: only its
    ctime (set by any write) or inode (a new file renamed over) tells. One answer is kept
    per path, so a model retrained or rewritten many times keeps no stale ones (the
    ``fingerprint`` it was checked against is part of its stamp)."""
    stat = path.stat()
    stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, fingerprint)
    known = _ARCHIVE_CHECKS.get(str(path))
    if known is None or known[0] != stamp:
        known = (stamp, archive_problem(path, fingerprint))
        _ARCHIVE_CHECKS[str(path)] = known
    return known[1]


def _entries_problem(archive: zipfile.ZipFile) -> str | None:
    """The first entry of ``archive`` that is not whole, worded for the user, or None. An
    entry of some bytes whose CRC is 0 is not checked: torch writes 0 when told not to
    compute them (``torch.serialization.config.save.compute_crc32 = False``) and loads it.
    torch writes no encrypted entry: the flag set is damage (zipfile refused to open it)."""
    for entry in archive.infolist():
        if entry.flag_bits & 0x1:
            return (f"{_part_name(entry.filename)} is marked encrypted, which musicsage "
                    "never writes (the archive is damaged)")
        if entry.CRC == 0 and entry.file_size:
            continue
        try:
            part = archive.open(entry)
        except zipfile.BadZipFile:  # a bad local header: its bytes were never reached
            return (f"{_part_name(entry.filename)} cannot be found where its index "
                    "says (the archive is damaged)")
        if _crc_of(part) != entry.CRC:
            return (f"{_part_name(entry.filename)} {_fails(entry.filename)} (the file "
                    "changed on disk after it was saved)")
    return None


def _description_problem(archive: zipfile.ZipFile, fingerprint: str | None) -> str | None:
    """:func:`_described_problem` of a whole archive's description (``…/data.pkl``, torch's
    pickle of what was saved); :data:`FOREIGN` for an archive without one."""
    described = [e for e in archive.infolist() if e.filename.rpartition("/")[2] == "data.pkl"]
    if len(described) != 1:
        return FOREIGN
    entry = described[0]
    if entry.CRC == 0 and entry.file_size:  # saved without checksums (see _entries_problem):
        entry = copy.copy(entry)  # zipfile would refuse its end against a CRC of 0
        del entry.CRC
    return _judged(lambda: archive.open(entry), fingerprint)


def _judged(open_part: Callable[[], BinaryIO], fingerprint: str | None) -> str | None:
    """:func:`_described_problem` of the description ``open_part()`` reads. Whether it is
    :data:`FOREIGN` is told by its first bytes; the rest is read only for musicsage's own,
    when a ``fingerprint`` is to be compared: another program's pickle of 200 MB was read
    whole for it (600 MB of memory on a listing)."""
    with open_part() as part:
        head = part.read(_DESCRIPTION_HEAD)
        if (problem := _described_problem(head, None)) is not None or _read_size(fingerprint) > 0:
            return problem  # FOREIGN, or musicsage's with no fingerprint to compare
        return _described_problem(head + part.read(), fingerprint)


def _read_size(fingerprint: str | None) -> int:
    """How much of a description to read: its first bytes hold the format; its fingerprint
    comes after every context key, so the whole of it (-1) when that is to be compared."""
    return -1 if fingerprint is not None and _DIGEST.fullmatch(fingerprint) else _DESCRIPTION_HEAD


def _described_problem(head: bytes, fingerprint: str | None) -> str | None:
    """:data:`FOREIGN` when the pickle stream(s) at the start of ``head`` do not hold
    ``"format"`` followed by one of musicsage's format names (:data:`FORMAT`,
    :data:`LEGACY_FORMATS`); :data:`OTHER_MODEL` when their ``"fingerprint"`` is another
    than ``fingerprint`` (:func:`other_data`); else None. Read opcode by opcode
    (``pickletools.genops``: nothing is built or run — a foreign pickle may run code).
    Torch's format before 1.6 writes three small pickles before the payload's, hence up to
    four."""
    stream, previous, ours, saved = io.BytesIO(head), None, False, None
    compared = _read_size(fingerprint) < 0
    try:
        for _ in range(4):
            for _opcode, arg, _at in pickletools.genops(stream):
                if not isinstance(arg, str):
                    continue
                ours = ours or (previous == "format" and (arg == FORMAT or arg in LEGACY_FORMATS))
                saved = arg if previous == "fingerprint" and saved is None else saved
                if ours and (saved is not None or not compared):
                    return OTHER_MODEL if other_data(fingerprint, saved) else None
                previous = arg
    except Exception:  # noqa: BLE001 - any bytes: a foreign or cut stream fails in many ways
        pass
    return None if ours else FOREIGN


def other_data(fingerprint: str | None, saved) -> bool:
    """Whether a model's row ``fingerprint`` and the one its model.pt ``saved`` are both data
    fingerprints, and differ: that file was trained on other data than its model's vectors
    (both are written from one training's data: ``usecases.training``)."""
    return (isinstance(saved, str) and fingerprint is not None
            and bool(_DIGEST.fullmatch(fingerprint)) and bool(_DIGEST.fullmatch(saved))
            and saved != fingerprint)


def _crc_of(part: zipfile.ZipExtFile) -> int | None:
    """The CRC-32 of an entry's bytes as read, or None when zipfile found them not to match
    (it checks at the end of the entry and raises before the last bytes are handed over)."""
    crc = 0
    with part:
        try:
            while chunk := part.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
        except zipfile.BadZipFile:
            return None
    return crc


def _part_name(name: str) -> str:
    """What an archive entry holds, in the user's words: torch keeps tensors under
    ``…/data/N`` and the description (keys, settings) in ``…/data.pkl``."""
    if "/data/" in name:
        return "its weights"
    if name.endswith("data.pkl"):
        return "its description"
    return f"its part {name}"


def _fails(name: str) -> str:
    """The verb for :func:`_part_name`'s subject ("its weights" is plural)."""
    return "fail their checksum" if "/data/" in name else "fails its checksum"
