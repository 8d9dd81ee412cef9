"""Where OpenL3 weights come from: a local file, the cache, or a verified download.

Order of preference for a variant (input_repr, content_type):

1. an explicit file (``--openl3-weights PATH`` or the ``openl3_weights`` setting): a Keras
   ``.h5`` or ``.h5.gz`` the user has;
2. ``<weights_dir>/openl3_audio_<repr>_<content>-v0_4_0.h5.gz`` (or ``.h5``), downloaded
   earlier or copied there by hand;
3. a download of that file from the openl3 ``models`` branch, only when allowed.

A download streams into a temporary beside ``<name>`` (``.<name>.PID.THREAD.tmp``:
:func:`~musicsage.files.atomic_replacement`) with progress reports, and is accepted only if its
git blob id (``sha1(b"blob <len>\\0" + data)``, what ``git hash-object`` prints) equals the one
listed in docs/audio-models.md; otherwise the partial file is deleted — a bad download is never
cached. One killed mid-way (no ``finally`` runs) leaves its temporary: the next download of
that file removes it, once its process is gone — and two runs downloading at once no longer
share one ``<name>.part``, each cutting the other's short. A ``<name>.part`` that earlier
versions left is not removed: a browser saving ``<name>`` by hand names its own so.

The Keras file is converted once into a torch state dict (``.pt`` in weights_dir), tagged
with the source's size and mtime; a changed source is converted again. A file given from
elsewhere has its conversion named after its path, and only the latest of those is kept
per variant (each is ≈ 18 MB).

The URL base can be overridden with ``MUSICSAGE_OPENL3_URL_BASE`` (mirrors, tests).
"""

from __future__ import annotations

import glob
import hashlib
import http.client
import os
import re
import urllib.error
from pathlib import Path
from typing import Callable

from musicsage.audio.download import (base_source, copy_answer, http_failure,
                                      invalid_address, make_folder, not_a_file,
                                      not_a_web_address, not_deletable, not_http, open_url,
                                      unreachable)
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3.variants import Variant
from musicsage.audio.web_page import is_web_page
from musicsage.files import atomic_replacement, save_torch_atomically
from musicsage.progress import CancelToken, ProgressFn

DEFAULT_URL_BASE = "https://github.com/marl/openl3/raw/models/"
URL_BASE_ENV = "MUSICSAGE_OPENL3_URL_BASE"
PORT_FORMAT = 1  # bump when the converted state dict's layout changes


class DownloadError(MissingWeights):
    """A weights download failed or did not verify (nothing was cached): the weights are
    still missing, and its line says, as :class:`MissingWeights`'s does, how to get them by
    hand and (``embed``) what to do instead (:func:`~musicsage.audio.model_fallback.instead`)."""


class DamagedWeights(MissingWeights):
    """A weights file in the models folder that is not the one it is named for (a transfer
    cut short): it counted as on disk for good, and every run failed reading it."""


class UnreadableWeights(DamagedWeights):
    """A weights file this user may not read (``chmod``, another user's download): it was
    called damaged, and deleting a good file was the advice."""


_BLOB_IDS: dict[tuple[str, int, int, int, int], str] = {}
"""Blob ids computed in this process, by (path, size, mtime, inode, ctime): the default choice
asks often. Size and mtime alone trusted a file replaced in place and ``touch -r``'d back."""
MAX_HASHED = 1 << 28  # the official files are ≈ 17 MB; a bigger one is no official .h5.gz


def git_blob_id(data: bytes) -> str:
    """``git hash-object`` of ``data``: sha1 over ``b"blob <len>\\0" + data``."""
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def url_base(override: str | None = None) -> str:
    base = override or os.environ.get(URL_BASE_ENV) or DEFAULT_URL_BASE
    return base if base.endswith("/") else base + "/"


def weights_url(variant: Variant, base: str | None = None) -> str:
    return url_base(base) + variant.weights_stem + ".h5.gz"


def file_blob_id(path: Path) -> str | None:
    """The git blob id of a ``.gz`` file (None for another file, or one unreadable)."""
    try:
        return _blob_id(path)
    except OSError:
        return None


def _blob_id(path: Path) -> str | None:
    """:func:`file_blob_id`, raising :class:`OSError` for a file that cannot be read."""
    st = Path(path).stat()
    if not str(path).lower().endswith(".gz") or st.st_size > MAX_HASHED:
        return None
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    if key not in _BLOB_IDS:
        _BLOB_IDS[key] = git_blob_id(Path(path).read_bytes())
    return _BLOB_IDS[key]


def cached_source(weights_dir: Path, variant: Variant) -> Path | None:
    """The variant's Keras file already in ``weights_dir`` (``.h5.gz`` or ``.h5``), if any.

    An ``.h5.gz`` is the official file, downloaded: one whose blob id is not the listed one
    (an interrupted ``curl -O``) raises :class:`DamagedWeights`, one this user cannot read
    :class:`UnreadableWeights`. It is left for the user to delete: a file the app did not
    put there is never deleted."""
    for suffix in (".h5.gz", ".h5"):
        p = Path(weights_dir) / (variant.weights_stem + suffix)
        if not (p.is_file() and p.stat().st_size > 0):
            continue
        if suffix == ".h5.gz":  # the official file: its blob id is known (a .h5 has none)
            try:
                blob = _blob_id(p)
            except OSError as exc:
                raise UnreadableWeights(f"cannot read {p} ({exc.strerror or exc}): give "
                                        "your user read access to it") from None
            if blob != variant.blob_id:
                raise DamagedWeights(f"{p} is damaged: {_remedy(p, variant)}")
        return p
    return None


def _remedy(damaged: Path, variant: Variant) -> str:
    """What to do about the variant's damaged download at ``damaged``: "delete it" where this
    user can; where they cannot (a checkout's ``models/`` of another user, a shared
    ``$MUSICSAGE_WEIGHTS_DIR`` or sticky folder, a read-only mount) that advice failed, and a
    good copy of their own, given as ``--openl3-weights``, is what serves."""
    cannot = not_deletable(damaged)
    if cannot is None:
        return delete_and_download(variant)
    return (f"{cannot}: download {weights_url(variant)} into a folder of yours and pass "
            "--openl3-weights PATH (that file), or ask the folder's owner to replace it")


def delete_and_download(variant: Variant) -> str:
    """The advice for the variant's damaged download, naming the variant's own model id:
    "embed --model openl3" downloads the default variant's file, and a library of
    ``openl3-mel128-env-6144`` that ran it switched every track to another model."""
    return f"delete it (embed --model {variant.model_id} downloads it again)"


def how_to_get(variant: Variant, weights_dir: Path) -> str:
    """The sentence telling a user how to provide the weights by hand."""
    return (f"download {weights_url(variant)} into {weights_dir} "
            f"or pass --openl3-weights PATH (a .h5 or .h5.gz file)")


def download_weights(variant: Variant, weights_dir: Path, *, base: str | None = None,
                     progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                     timeout: float = 30.0) -> Path:
    """Download and verify the variant's ``.h5.gz`` into ``weights_dir``; returns its path.

    Raises :class:`DownloadError` (HTTP error, a transfer cut short, checksum mismatch) or
    :class:`MissingWeights` (no network). Never leaves a partial or unverified file behind.
    """
    weights_dir = Path(weights_dir)
    _make_models_folder(weights_dir)
    url = weights_url(variant, base)
    target = weights_dir / (variant.weights_stem + ".h5.gz")
    if blocked := not_a_file(target):  # before the network: the move into place would fail
        raise DownloadError(f"cannot download into {weights_dir}: {blocked} and run it "
                            "again, or pass --openl3-weights PATH (a .h5 or .h5.gz file)")
    with atomic_replacement(target) as part:
        try:
            response = open_url(url, timeout, cancel)
        except urllib.error.HTTPError as exc:
            raise DownloadError(f"download of {url} failed: {http_failure(exc)}; "
                                f"{how_to_get(variant, weights_dir)}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise MissingWeights(f"cannot reach {url} ({unreachable(url, exc)}); "
                                 f"{how_to_get(variant, weights_dir)}") from None
        except http.client.InvalidURL as exc:  # a mirror's bad port: no answer, HTTP or not
            raise DownloadError(f"cannot download {url}: "
                                f"{invalid_address(url, _base_source(base), exc)}") from None
        except http.client.HTTPException as exc:  # a captive portal's page: "this is a bug"
            raise DownloadError(f"download of {url} failed: {not_http(exc)}; "
                                f"{how_to_get(variant, weights_dir)}") from None
        except ValueError:  # a mirror's base without http://: "this is a bug" too
            raise DownloadError(f"cannot download {url}: "
                                f"{not_a_web_address(_base_source(base))}") from None
        with response, open(part, "wb") as out:
            copy_answer(response, out, stage=f"download {target.name}", progress=progress,
                        cancel=cancel, on_full=_full(target),
                        max_bytes=(MAX_HASHED, lambda: _too_big(url, variant, weights_dir)),
                        failed=lambda why: DownloadError(
                            f"download of {url} {why}; {how_to_get(variant, weights_dir)}"))
        data = part.read_bytes()
        got = git_blob_id(data)
        if got != variant.blob_id:
            raise DownloadError(f"download of {url} does not verify (git blob id {got}, "
                                f"expected {variant.blob_id})"
                                f"{_no_gzip(data)}; nothing was "
                                f"cached; {how_to_get(variant, weights_dir)}")
    return target


def _no_gzip(data: bytes) -> str:
    """What an answer that is no gzip file at all was, for the line after "does not verify":
    a login page served with status 200 (a hotel's, a company proxy's) read as a damaged
    download, and running it again only fetched the page again."""
    if data[:2] == b"\x1f\x8b":
        return ""
    page = is_web_page(data)
    return (", the answer is " + ("a web page" if page else "no gzip file")
            + ": a network that wants a login first, or a mirror without the file?")


def _make_models_folder(weights_dir: Path) -> None:
    """The models folder a download goes to, made if need be. A file in its way (named like
    it, or like a folder above it, named) or a link above it that leads nowhere ended
    ``embed`` in a bare "File exists: …/models"
    (:func:`~musicsage.audio.download.make_folder`)."""
    if blocked := make_folder(weights_dir):
        raise DownloadError(f"cannot make the models folder {weights_dir}: {blocked} and run "
                            "it again, or pass --openl3-weights PATH (a .h5 or .h5.gz file)")


def _too_big(url: str, variant: Variant, weights_dir: Path) -> DownloadError:
    """The one line for an answer too big to be the weights (said, not "does not verify")."""
    return DownloadError(f"download of {url} is larger than any OpenL3 weights file (over "
                         f"{MAX_HASHED >> 20} MB), so it is not the weights; nothing was "
                         f"cached; {how_to_get(variant, weights_dir)}")


def _base_source(base: str | None) -> str:
    """Where the URL base of a download came from, for a line saying it is no URL."""
    return base_source(base, URL_BASE_ENV, "the URL base")


def _full(target: Path) -> Callable[[OSError], DownloadError]:
    """A full disk (or a quota) ended ``embed`` in a bare "[Errno 28] No space left on
    device", naming no folder."""
    return lambda exc: DownloadError(
        f"cannot write {target} ({exc.strerror or exc}): make room in {target.parent} and run "
        "it again, or pass --openl3-weights PATH (a .h5 or .h5.gz file)")


# --- conversion to a torch state dict ------------------------------------------------------


def converted_path(weights_dir: Path, variant: Variant, source: Path) -> Path:
    """Where the torch state dict of ``source`` lives (one per variant + source location)."""
    stem = variant.weights_stem
    if not _in_models_folder(source, weights_dir):
        stem += "." + hashlib.sha1(str(Path(source).resolve()).encode()).hexdigest()[:10]
    return Path(weights_dir) / f"{stem}.pt"


def _in_models_folder(source: Path, weights_dir: Path) -> bool:
    """Whether ``source`` lies in the models folder itself (not a file given from elsewhere)."""
    return Path(source).resolve().parent == Path(weights_dir).resolve()


def _fingerprint(source: Path) -> dict:
    st = Path(source).stat()
    return {"size": int(st.st_size), "mtime_ns": int(st.st_mtime_ns), "format": PORT_FORMAT}


def load_state_dict(variant: Variant, source: Path, weights_dir: Path) -> dict:
    """A complete state dict for the variant's network from the Keras file ``source``.

    Uses the cached ``.pt`` when its fingerprint matches ``source``; otherwise converts (strict:
    every parameter set, shapes checked) and caches the result.
    """
    import torch

    from musicsage.audio.openl3.keras_h5 import WeightsFormatError, load_keras_weights
    from musicsage.audio.openl3.network import OpenL3AudioNet

    source = Path(source)
    if not source.is_file():
        raise MissingWeights(f"OpenL3 weights file {source} not found")
    pt = converted_path(weights_dir, variant, source)
    fingerprint = _fingerprint(source)
    if pt.is_file():
        try:
            saved = torch.load(pt, map_location="cpu", weights_only=True)
            if saved.get("source") == fingerprint:
                return saved["state_dict"]
        except Exception:  # an unreadable cache is just recomputed
            pass
    try:
        state = load_keras_weights(source, OpenL3AudioNet(variant))
    except WeightsFormatError as exc:
        raise _unusable(variant, source, weights_dir, exc) from None
    try:
        Path(weights_dir).mkdir(parents=True, exist_ok=True)
        save_torch_atomically(pt, {"state_dict": state, "source": fingerprint})
    except OSError:
        return state  # a read-only cache costs a conversion per run, nothing more
    _drop_other_conversions(pt, variant)
    return state


def _drop_other_conversions(kept: Path, variant: Variant) -> None:
    """Remove the variant's other conversions of files given from elsewhere
    (``<stem>.<10 hex digits>.pt``, named by :func:`converted_path` only), keeping ``kept``:
    one of ≈ 18 MB was left for every ``--openl3-weights PATH`` ever given, for good. The
    models folder's own conversion (no digits) stays, and so does any other file."""
    stem = variant.weights_stem
    for other in kept.parent.glob(glob.escape(stem) + ".*.pt"):
        if other != kept and re.fullmatch(r"\.[0-9a-f]{10}\.pt", other.name[len(stem):]):
            try:
                other.unlink()
            except OSError:  # another user's, or gone meanwhile: left as it is
                pass


def _unusable(variant: Variant, source: Path, weights_dir: Path,
              exc: Exception) -> DamagedWeights:
    """A weights file that cannot be read as OpenL3's (cut short, damaged on disk, another
    model's): the error named only the file (``w.h5: not an HDF5 weights file …``), not where
    it is nor what to do — a remembered ``--openl3-weights`` file damaged since failed every
    ``embed`` so. As :class:`DamagedWeights`, ``embed`` adds what to do instead
    (:func:`~musicsage.audio.model_fallback.instead`).
    "Delete it" is said only of the file a download puts in the models folder (a download
    replaces it); any other (the user's own, a ``.h5`` copied there by hand) is theirs."""
    detail = str(exc).removeprefix(f"{source.name}: ")
    downloaded = _in_models_folder(source, weights_dir) \
        and source.name == variant.weights_stem + ".h5.gz"
    advice = (delete_and_download(variant) if downloaded else
              "replace it with a good copy, or pass --openl3-weights PATH (a .h5 or .h5.gz file)")
    return DamagedWeights(f"OpenL3 weights file {source} is damaged or not OpenL3's: "
                          f"{detail}; {advice}")
