"""What to tell a user about a MusiCNN wheel on disk that cannot be used (not a zip, damaged
inside, unreadable to them): "delete it" only where they can, else where a copy of theirs serves.

A wheel this user may not delete (in a shared ``$MUSICSAGE_WEIGHTS_DIR`` or a sticky shared
folder, a read-only mount, a checkout's ``models/`` installed by another user) was still told
"delete it", which failed there and left them with no way on. The wheel is looked for in the
models folders in their order (:func:`~musicsage.audio.musicnn.wheel.wheel_dirs`): a copy put
in a folder they can write serves where it is found first — any such folder when the damaged
one is no zip (passed over: a download into the first folder is not stopped by it,
:func:`blocks`), only one searched before it when it is a zip damaged inside (found first,
wherever $MUSICSAGE_WEIGHTS_DIR points: no download is tried then)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from musicsage.audio.download import not_deletable
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
    this user can delete it; else a folder of ``search`` they can write where a copy they put
    serves (one searched before ``path``'s when ``found_first``: a zip there is read first),
    got as ``how_to_get`` (:data:`~musicsage.audio.musicnn.wheel.HOW_TO_GET`, its ``{dir}``
    that folder), else setting :data:`~musicsage.context.WEIGHTS_DIR_ENV` to a folder of
    their own: a download goes there past one that is no zip (:func:`blocks`), but one damaged
    inside is still found in a folder always searched (the user cache's ``models/``), so a
    copy is put there by hand — "downloads it again there" was said, and nothing was."""
    folder = path.parent
    cannot = not_deletable(path)
    if cannot is None:
        return f"delete it ({again(model_id)})"
    folders = [Path(d) for d in search]
    ahead = folders[:_index(folders, folder)] if found_first else folders
    fresh = next((d for d in ahead if not _same(d, folder) and _writable(d)), None)
    if fresh is not None:
        return f"{cannot}, but a copy you put in {fresh} is used instead: " + \
            how_to_get.format(dir=fresh)
    instead = f"set ${WEIGHTS_DIR_ENV} to a folder you can write"
    if found_first:
        instead += " and " + how_to_get.format(dir="that folder")
    else:
        instead += f" ({again(model_id)} there)"
    return f"{cannot}: ask its owner to replace it, or {instead}"


def blocks(damaged: Path, target_dir: Path) -> bool:
    """Whether the wheel at ``damaged``, no zip (passed over), is said instead of downloading
    into ``target_dir`` (the first folder searched): where the download goes, or where the
    user may delete it, it is (a file the app did not put there is never replaced); another
    user's in a folder searched later is not when ``target_dir`` can be written, the download
    being found first — it stopped the download, and no advice got past it."""
    return (_same(damaged.parent, target_dir) or not_deletable(damaged) is None
            or not _writable(target_dir))


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
