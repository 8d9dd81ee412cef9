"""The ``musicnn==0.1.0`` wheel from PyPI: where it is, fetching it, and reading it in place.

The wheel (a zip) carries the trained TF1 checkpoints (``musicnn/MSD_musicnn/.index`` +
``.data-00000-of-00001``, likewise MTT_musicnn, MSD_vgg, MTT_vgg) and ``configuration.py`` with
the tag lists. Its Python code needs TensorFlow 1, so it is never installed or imported:
members are read straight out of the zip, and the tag lists are read from
``configuration.py`` as text with :mod:`ast` (no code from the wheel ever runs).

Where: ``ctx.weights_dir`` (``models/`` in a source checkout, filled by ``scripts/setup.sh``;
the user cache when installed, or when this user may not write the checkout's, which is then
still read: ``ctx.model_dirs``). When absent, :func:`ensure_wheel` downloads it on first use
from PyPI: the JSON API names the file's URL, and the download is verified against
:data:`WHEEL_SHA256` — pinned here, as the OpenL3 blob ids are, not taken from the index at
download time (an index or mirror that serves another file under this name, with a matching
sha256 of its own, is refused) — before it is moved into place (atomically, so an interrupted
download leaves nothing). One killed mid-way (no ``finally`` runs) leaves its temporary, named
by its process (:func:`~musicsage.files.temporary_beside`): the next download removes it.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import http.client
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Sequence

from musicsage.audio.download import (base_source, copy_answer, http_failure, invalid_address,
                                      make_folder, not_a_file, not_a_web_address, not_http,
                                      open_url, read_answer, unreachable)
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn.tf_checkpoint import Checkpoint, from_mapping
from musicsage.audio.musicnn.wheel_advice import blocks, not_usable, remedy
from musicsage.audio.web_page import came_instead
from musicsage.errors import MusicsageError
from musicsage.files import remove_abandoned, temporary_beside
from musicsage.progress import CancelToken, ProgressFn, check_cancel

if TYPE_CHECKING:
    from musicsage.context import AppContext

PACKAGE = "musicnn"
VERSION = "0.1.0"
WHEEL_NAME = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "f38a4890c648c1ddbb141c5d96d2b0a8cfcd36746002d896989f7b88beb65cfa"
"""sha256 of the wheel PyPI has served since its release (2019); checked on every download."""
PYPI_URL = "https://pypi.org/pypi"
PYPI_URL_ENV = "MUSICSAGE_PYPI_URL"  # override (tests: a local server; mirrors)
MAX_WHEEL_BYTES = 64 << 20
"""No answer larger than this is the wheel (29.3 MB): a mirror's or a portal's big wrong file (a
disk image) filled the disk, to fail its check at its end. Stopped there, as OpenL3's is."""
SHARED_MODE = 0o644
"""The downloaded wheel's permissions, as OpenL3's weights': its temporary is private
(``mkstemp``), and kept so in a checkout's ``models/`` it was unreadable to other users."""
_CONFIG_MEMBER = f"{PACKAGE}/configuration.py"
_OLD_PART = r"\.musicnn-[a-z0-9_]{8}\.part"
"""The temporaries of versions that named them without a process id (``mkstemp``'s 8 chars)."""

FAILED_DOWNLOAD_SECONDS = 300.0
"""How long a failed download is answered from memory (:func:`ensure_wheel`): without a
network, every track selected in the window tried PyPI again, up to 30 s each."""
_failed_downloads: dict[tuple[str, str], tuple[float, str]] = {}
"""(target dir, index URL) → (monotonic time, message) of the last failed download."""
_failed_lock = threading.Lock()

HOW_TO_GET = (f"run `pip download {PACKAGE}=={VERSION} --no-deps -d DIR` where PyPI is reachable "
              f"and put {WHEEL_NAME} into DIR = {{dir}}")


def wheel_dirs(ctx: "AppContext") -> list[Path]:
    """Where a wheel is looked for, first = where a download goes."""
    return ctx.model_dirs


def find_wheel(ctx: "AppContext") -> Path | None:
    """The wheel's path if it is on disk (no download, no validation beyond being a zip)."""
    for directory in wheel_dirs(ctx):
        candidate = directory / WHEEL_NAME
        if candidate.is_file() and zipfile.is_zipfile(candidate):
            return candidate
    return None


def ensure_wheel(ctx: "AppContext", *, download: bool = True, pypi_url: str | None = None,
                 progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                 model_id: str | None = None) -> Path:
    """The wheel's path, downloading it from PyPI first if it is absent and ``download``.

    Raises :class:`MissingWeights` (a MusicsageError) with what to do when it cannot be had,
    :class:`~musicsage.errors.Cancelled` when ``cancel`` is set during the download. A
    download that failed in this process less than :data:`FAILED_DOWNLOAD_SECONDS` ago is not
    tried again: its answer is given at once (a wheel put in place meanwhile is still found).
    Only the network's failures are remembered, not this machine's (:class:`_CannotWrite`).
    ``model_id``: the embedder's, named in the advice over a damaged wheel (:func:`not_usable`)."""
    found = find_wheel(ctx)
    if found is not None:
        return found
    # one in a checkout's models/ that is only read is not this user's to delete or mend:
    # a download into their own folder mends it
    checkout = ctx.not_written_models_dir
    target_dir = wheel_dirs(ctx)[0]  # (another user's wheel searched after it stops nothing)
    for damaged in (d / WHEEL_NAME for d in wheel_dirs(ctx) if d != checkout):
        if damaged.is_file() and blocks(damaged, target_dir):  # not a zip (find_wheel)
            raise MissingWeights(not_usable(damaged, model_id, wheel_dirs(ctx), HOW_TO_GET))
    if not download:  # (the checkout's wheel there but unusable is named: "not found" misled)
        passed = checkout / WHEEL_NAME if checkout is not None else None
        seen = "" if passed is None or not passed.is_file() else (
            f"; the one in {checkout} is " + ("damaged (not a zip)" if os.access(passed, os.R_OK)
                                              else "not readable to you"))
        raise MissingWeights(f"MusiCNN checkpoints not found ({WHEEL_NAME}{seen}): "
                             + HOW_TO_GET.format(dir=target_dir))
    key = (str(target_dir), _index_url(pypi_url))
    with _failed_lock:
        failed = _failed_downloads.get(key)
    # a wheel put there meanwhile counts (find_wheel above)
    if failed is not None and (age := time.monotonic() - failed[0]) < FAILED_DOWNLOAD_SECONDS:
        raise MissingWeights(f"{failed[1]} (tried {age:.0f} s ago; it is tried again "
                             f"{FAILED_DOWNLOAD_SECONDS / 60:g} min after that)")
    try:
        return download_wheel(target_dir, pypi_url=pypi_url, progress=progress, cancel=cancel)
    except _CannotWrite:  # made room or fixed the folder: the next track tries at once
        raise
    except MissingWeights as exc:
        with _failed_lock:
            _failed_downloads[key] = (time.monotonic(), str(exc))
        raise


class _CannotWrite(MissingWeights):
    """The wheel could not be written here (no space, no permission): not remembered as a
    failed download (:func:`ensure_wheel`): the user's fix is on this machine, and the next
    try sees it at once (five minutes said "No space left" after room was made)."""


def _fetch_json(url: str, timeout: float, cancel: CancelToken | None = None) -> dict:
    """The index's JSON at ``url``, its body read minding ``cancel`` (:func:`read_answer`); a
    ValueError naming what came instead: a login page served with status 200 said "(Expecting
    value: line 1 column 1 (char 0))". A ``url`` that is no web address: :class:`NoWebAddress`."""
    try:
        response = open_url(url, timeout, cancel)
    except ValueError:  # "unknown url type: 'mirror.local/pypi/musicnn/0.1.0/json'"
        raise NoWebAddress(url) from None
    with response:
        body = read_answer(response, url, cancel)
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ValueError(f"{url} answered with no package index's JSON (a network that "
                         "wants a login first?)") from None


class NoWebAddress(ValueError):
    """The package index's URL is no web address (a mirror's, given without ``http://``)."""


def download_wheel(target_dir: Path, *, pypi_url: str | None = None, timeout: float = 30.0,
                   progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                   sha256: str | None = None) -> Path:
    """Download and verify the wheel into ``target_dir``; return its path.

    ``pypi_url`` (or ``$MUSICSAGE_PYPI_URL``) replaces ``https://pypi.org/pypi``: the metadata
    is read from ``{pypi_url}/musicnn/0.1.0/json``. The file must hash to ``sha256`` (the
    pinned :data:`WHEEL_SHA256`; tests serving a stand-in wheel pass their own), whatever the
    index says.
    """
    sha256 = (sha256 or WHEEL_SHA256).lower()
    _make_folder(target_dir)  # before the network: a file in the way is this machine's
    base = _index_url(pypi_url).rstrip("/")
    meta_url = f"{base}/{PACKAGE}/{VERSION}/json"
    offline = ("could not download the MusiCNN checkpoints from PyPI ({reason}): "
               + HOW_TO_GET.format(dir=target_dir))
    try:
        meta = _fetch_json(meta_url, timeout, cancel)
        entry = next(f for f in meta.get("urls", []) if f.get("filename") == WHEEL_NAME)
        url, listed = entry["url"], str(entry.get("digests", {}).get("sha256", "")).lower()
    except StopIteration:
        raise MissingWeights(offline.format(reason=f"{meta_url} lists no {WHEEL_NAME}")) from None
    except NoWebAddress:
        raise MissingWeights(f"cannot download {meta_url}: "
                             f"{not_a_web_address(_base_source(pypi_url))}") from None
    except http.client.InvalidURL as exc:  # a mirror's bad port: no answer, HTTP or not
        raise MissingWeights(f"cannot download {meta_url}: "
                             f"{invalid_address(meta_url, _base_source(pypi_url), exc)}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError,
            http.client.HTTPException) as exc:
        check_cancel(cancel)  # asked for as it failed: not remembered as a failed download
        raise MissingWeights(offline.format(reason=_reason(exc, meta_url))) from None
    if listed and listed != sha256:
        raise MissingWeights(f"{meta_url} lists {WHEEL_NAME} with sha256 {listed[:16]}…, not "
                             f"the known {sha256[:16]}… (a changed or substituted file); "
                             "not downloaded: " + HOW_TO_GET.format(dir=target_dir))

    fd, tmp_name = _temporary(target_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open_url(url, timeout, cancel) as response:
            _share(out.fileno())
            got = _copy(response, out, target_dir, progress, cancel, url)
        if got != sha256:
            instead = came_instead(tmp, "corrupted or substituted download")
            raise MissingWeights(f"the downloaded {WHEEL_NAME} does not match its known sha256 "
                                 f"({instead}): " + HOW_TO_GET.format(dir=target_dir))
        if not zipfile.is_zipfile(tmp):
            raise MissingWeights(f"the downloaded {WHEEL_NAME} is not a zip file")
        final = target_dir / WHEEL_NAME
        os.replace(tmp, final)
        return final
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise _cannot_write(exc, target_dir) or MissingWeights(
            offline.format(reason=_reason(exc, url))) from None
    finally:
        tmp.unlink(missing_ok=True)


def _copy(response: http.client.HTTPResponse, out: BinaryIO, target_dir: Path,
          progress: ProgressFn | None, cancel: CancelToken | None, url: str) -> str:
    """Copy the wheel's answer into ``out`` (:func:`~musicsage.audio.download.copy_answer`),
    reporting progress; returns its sha256. A transfer that ends early raises
    :class:`MissingWeights` saying so: it was called a "corrupted or substituted download",
    its hash being wrong. One past :data:`MAX_WHEEL_BYTES` is stopped there."""
    digest = hashlib.sha256()
    copy_answer(response, out, stage="download musicnn", detail=WHEEL_NAME, progress=progress,
                cancel=cancel, on_full=_full(target_dir), on_chunk=digest.update,
                max_bytes=(MAX_WHEEL_BYTES, lambda: _too_big(url, target_dir)),
                failed=lambda why: MissingWeights(
                    f"the download of {WHEEL_NAME} {why}; run it again, or "
                    + HOW_TO_GET.format(dir=target_dir)))
    return digest.hexdigest()


def _share(fd: int) -> None:
    """Give the wheel's temporary :data:`SHARED_MODE` (``mkstemp`` made it private). A folder
    that takes no modes (a FAT drive may refuse ``chmod``) keeps the download all the same."""
    try:
        os.fchmod(fd, SHARED_MODE)
    except OSError:
        pass


def _too_big(url: str, target_dir: Path) -> MissingWeights:
    """The one line for an answer too big to be the wheel (said, not "does not match")."""
    return MissingWeights(f"the download of {url} is over {MAX_WHEEL_BYTES >> 20} MB, far "
                          f"larger than {WHEEL_NAME}, so it is not the wheel; nothing was "
                          "kept: " + HOW_TO_GET.format(dir=target_dir))


def _make_folder(target_dir: Path) -> None:
    """The folder the wheel goes to, made if need be. A file in its way (named like it, or
    like a folder above it) said "cannot write … ([Errno 17] File exists: …); … put the wheel
    into a writable directory": neither that a file was in the way, nor a folder the wheel
    is looked for in; one above its folder, or a link above it that leads nowhere, is named
    (:func:`~musicsage.audio.download.make_folder`), and so is a folder or a dead link where
    the wheel goes (:func:`~musicsage.audio.download.not_a_file`)."""
    try:
        blocked = make_folder(target_dir) or not_a_file(target_dir / WHEEL_NAME)
    except OSError:
        return  # no permission, a read-only disk: said where the wheel is written
    if blocked:
        raise _CannotWrite(f"cannot write the MusiCNN checkpoints into {target_dir}: "
                           f"{blocked} and run it again")


def _index_url(pypi_url: str | None) -> str:
    """The package index the wheel is looked for at: ``pypi_url``, else ``$MUSICSAGE_PYPI_URL``,
    else PyPI. A failed download is remembered by it (:func:`ensure_wheel`): another index is
    tried at once."""
    return pypi_url or os.environ.get(PYPI_URL_ENV) or PYPI_URL


def _base_source(pypi_url: str | None) -> str:
    """Where the package index's URL came from, for a line saying it is no web address."""
    return base_source(pypi_url, PYPI_URL_ENV, "the package index's URL")


def _full(target_dir: Path) -> Callable[[OSError], MissingWeights]:
    """A full disk (or a quota) is said as such: it read "could not download … from PyPI: run
    pip download … where PyPI is reachable", which it was."""
    return lambda exc: _CannotWrite(
        f"cannot write the MusiCNN checkpoints into {target_dir} ({exc.strerror or exc}): make "
        "room there, then run it again")


def _cannot_write(exc: BaseException, target_dir: Path) -> _CannotWrite | None:
    """What to say when ``exc`` is this machine refusing the write (no room, a quota, no
    permission, a read-only disk), not the network's (a URLError is an OSError too): one from
    the file's close or the rename into place was remembered as a failed download for five
    minutes. None for any other failure."""
    if not isinstance(exc, OSError) or isinstance(exc, urllib.error.URLError) or \
            exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM,
                              errno.EROFS):
        return None
    return _CannotWrite(f"cannot write the MusiCNN checkpoints into {target_dir} "
                        f"({exc.strerror or exc}): make room there or make it writable, then "
                        "run it again")


def _temporary(target_dir: Path) -> tuple[int, str]:
    """``(fd, path)`` of a new temporary for the wheel in ``target_dir``, named by this process,
    after removing what killed downloads left there: this version's once their process is
    gone, and those of versions that named them without a process id once untouched for a day
    (:func:`~musicsage.files.remove_abandoned`) — each as large as the download. One that
    cannot be made raises :class:`_CannotWrite`: "put the wheel into DIR = a writable
    directory" named a folder the wheel is never looked for in."""
    try:
        target_dir.mkdir(parents=True, exist_ok=True)  # made by download_wheel; gone since?
        remove_abandoned(target_dir, _OLD_PART)
        return temporary_beside(target_dir / WHEEL_NAME)
    except OSError as exc:
        raise _CannotWrite(f"cannot write the MusiCNN checkpoints into {target_dir} "
                           f"({exc.strerror or exc}): make it writable, then run it "
                           "again") from None


def _reason(exc: BaseException, url: str) -> str:
    """What failed fetching ``url``, in a few words for the download's line."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"{http_failure(exc)} for {exc.url}"
    if isinstance(exc, urllib.error.URLError):
        host = urllib.parse.urlsplit(url).netloc or url  # refused is no "network unreachable"
        return f"cannot reach {host}: {unreachable(url, exc)}"
    if isinstance(exc, http.client.InvalidURL):  # the index listed a bad one, or the proxy
        return invalid_address(url, url, exc)
    if isinstance(exc, http.client.IncompleteRead):
        return "the transfer was cut short"
    if isinstance(exc, http.client.HTTPException):  # a captive portal's page: "this is a bug"
        return not_http(exc)
    return str(exc) or type(exc).__name__


@dataclass(frozen=True)
class CheckpointFingerprint:
    """Identifies one checkpoint's bytes cheaply (zip CRCs and sizes, no hashing)."""

    wheel: str
    index_crc: int
    data_crc: int
    data_size: int

    def as_dict(self) -> dict[str, object]:
        return {"wheel": self.wheel, "index_crc": self.index_crc, "data_crc": self.data_crc,
                "data_size": self.data_size}


class MusicnnWheel:
    """Read-only view of the wheel: checkpoint names, tag lists, checkpoints (all in memory).
    ``model_id``: the embedder's, for the advice over damage (:func:`remedy`); ``search``: the
    models folders (:func:`wheel_dirs`), where a fresh copy may go when this one is not the
    user's to delete (:func:`~musicsage.audio.musicnn.wheel_advice.remedy`)."""

    def __init__(self, path: str | os.PathLike[str], model_id: str | None = None,
                 search: Sequence[Path] = ()) -> None:
        self.path, self._model_id, self._search = Path(path), model_id, tuple(search)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise MusicsageError(f"{self.path}: not a readable wheel ({exc}): "
                                 f"{self._remedy()}") from None

    def _remedy(self) -> str:
        """What to do about this wheel, damaged: a zip, so found before any later copy."""
        return remedy(self.path, self._model_id, self._search, HOW_TO_GET, found_first=True)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "MusicnnWheel":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, member: str) -> bytes:
        try:
            return self._zip.read(member)
        except KeyError:
            raise MusicsageError(f"{self.path.name}: has no {member}") from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            # named by its whole path: the wheel may lie in models/ or in the user cache
            raise MusicsageError(f"{self.path}: {member} is corrupted ({exc}): "
                                 f"{self._remedy()}") from None

    def checkpoint_names(self) -> list[str]:
        """Checkpoint dirs in the wheel (``MSD_musicnn``, ``MTT_musicnn``, ``MSD_vgg``…)."""
        names = set()
        for member in self._zip.namelist():
            parts = member.split("/")
            if len(parts) == 3 and parts[0] == PACKAGE and parts[2] == ".index":
                names.add(parts[1])
        return sorted(names)

    def _prefix(self, model: str) -> str:
        if model not in self.checkpoint_names():
            raise MusicsageError(f"{self.path.name}: no checkpoint {model!r} (it has "
                                 f"{', '.join(self.checkpoint_names())})")
        return f"{PACKAGE}/{model}/"

    def checkpoint(self, model: str) -> Checkpoint:
        """The checkpoint ``model`` (e.g. ``MSD_musicnn``), verified (see tf_checkpoint)."""
        prefix = self._prefix(model)
        members = {name: self.read(name) for name in self._zip.namelist()
                   if name.startswith(prefix + ".index") or name.startswith(prefix + ".data-")}
        return from_mapping(members, prefix, source=f"{self.path.name}:{prefix}")

    def fingerprint(self, model: str) -> CheckpointFingerprint:
        prefix = self._prefix(model)
        index = self._zip.getinfo(prefix + ".index")
        data = [i for i in self._zip.infolist() if i.filename.startswith(prefix + ".data-")]
        return CheckpointFingerprint(self.path.name, index.CRC, sum(i.CRC for i in data),
                                     sum(i.file_size for i in data))

    @cached_property
    def configuration(self) -> dict[str, object]:
        """Literal top-level assignments of ``configuration.py`` (parsed, never executed)."""
        source = self.read(_CONFIG_MEMBER).decode("utf-8")
        values: dict[str, object] = {}
        for node in ast.parse(source).body:
            simple = isinstance(node, ast.Assign) and len(node.targets) == 1
            if simple and isinstance(node.targets[0], ast.Name):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
        return values

    def labels(self, model: str) -> list[str]:
        """Tag names of ``model``'s outputs: ``MSD_LABELS`` for MSD_*, ``MTT_LABELS`` for MTT_*."""
        dataset = model.split("_", 1)[0].upper()
        labels = self.configuration.get(f"{dataset}_LABELS")
        if not isinstance(labels, list) or not all(isinstance(t, str) for t in labels):
            raise MusicsageError(f"{self.path.name}: configuration.py has no {dataset}_LABELS list")
        return labels
