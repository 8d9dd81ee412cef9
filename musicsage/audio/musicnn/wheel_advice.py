"""What to tell a user about a MusiCNN wheel on disk that cannot be used (not a zip, damaged
inside, unreadable to them): "delete it" only where they can, else where a fresh copy serves.

A wheel in a folder this user cannot write (a shared ``$MUSICSAGE_WEIGHTS_DIR``, a read-only
mount, a checkout's ``models/`` installed by another user) was still told "delete it", which
failed there and left them with no way on. The wheel is looked for in the models folders in
their order (:func:`~musicsage.audio.musicnn.wheel.wheel_dirs`): a fresh copy in a folder they
can write serves where it is found first — any such folder when the damaged one is no zip
(passed over), only one searched before it when it is a zip damaged inside (found first)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from musicsage.context import WEIGHTS_DIR_ENV


def again(model_id: str | None) -> str:
    """How a deleted wheel comes back (``--model musicnn`` switched a musicnn-mtt library)."""
    return (f"embed --model {model_id} downloads it again" if model_id
            else "the next use downloads it again")


def not_usable(path: Path, model_id: str | None, search: Sequence[Path] = (),
               how_to_get: str = "") -> str:
    """Why the wheel at ``path``, which :func:`~musicsage.audio.musicnn.wheel.find_wheel`
    passed over (no zip), cannot be used: one this user may not read (another user's
    download, ``chmod``) was called "damaged (not a zip): delete it" — advice to delete a good
    file, maybe not the user's own. ``search``, ``how_to_get``: for :func:`remedy`."""
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        return (f"cannot read {path} ({exc.strerror or exc}): give your user read access to "
                "it")
    advice = remedy(path, model_id, search, how_to_get, found_first=False)
    return f"{path} is damaged (not a zip): {advice}"


def remedy(path: Path, model_id: str | None, search: Sequence[Path], how_to_get: str, *,
           found_first: bool) -> str:
    """What to do about the damaged wheel at ``path``: "delete it (… downloads it again)" where
    this user can delete it; else a folder of ``search`` they can write where a fresh copy
    serves (one searched before ``path``'s when ``found_first``: a zip there is read first),
    got as ``how_to_get`` (:data:`~musicsage.audio.musicnn.wheel.HOW_TO_GET`, its ``{dir}``
    that folder), else setting :data:`~musicsage.context.WEIGHTS_DIR_ENV` to a folder of
    their own."""
    folder = path.parent
    if _writable(folder):
        return f"delete it ({again(model_id)})"
    folders = [Path(d) for d in search]
    ahead = folders[:_index(folders, folder)] if found_first else folders
    fresh = next((d for d in ahead if not _same(d, folder) and _writable(d)), None)
    cannot = f"it lies in {folder}, which you cannot write"
    if fresh is not None:
        return f"{cannot}, but a fresh copy in {fresh} is used instead: " + \
            how_to_get.format(dir=fresh)
    return (f"{cannot}: ask its owner to replace it, or set ${WEIGHTS_DIR_ENV} to a folder "
            f"you can write ({again(model_id)} there)")


def _writable(folder: Path) -> bool:
    """Whether this user may create and delete files in ``folder`` (or, when it is not there
    yet, make it: its nearest existing folder above is writable)."""
    for candidate in [folder, *folder.parents]:
        if candidate.exists():
            return candidate.is_dir() and os.access(candidate, os.W_OK | os.X_OK)
    return False


def _same(one: Path, other: Path) -> bool:
    """Whether two spellings name one folder (a link, a relative path)."""
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return one == other


def _index(folders: list[Path], folder: Path) -> int:
    """Where ``folder`` comes in the search (its length when it is in none of them)."""
    return next((i for i, d in enumerate(folders) if _same(d, folder)), len(folders))
