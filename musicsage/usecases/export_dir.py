"""Where ``export DIR`` may write: checked before any work, refused in one line.

``export`` wrote its CSVs beside ``library.sqlite3`` when DIR was the library's own data dir,
and made every missing folder above DIR (a typo left a tree of stray folders), where
``--m3u FILE`` refuses a FILE whose folder is not there
(:func:`~musicsage.search.m3u.check_folder_of`). DIR itself is made when missing, as before.
A folder inside the data dir or the cache dir (``DATA/cache``, ``DATA/graph_models/…``) is
refused as the data dir is: the app's own files live there, and may replace or remove an
export's (a cache cleared, a model folder pruned). ``train --dataset … --out OUT`` is refused
in the same words where OUT is a link to nothing, in a loop of links, or under a folder this
user may not open (:func:`check_train_out`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from musicsage.errors import MusicsageError
from musicsage.files import same_path
from musicsage.library.paths import home_expanded, in_a_loop_of_links

if TYPE_CHECKING:
    from musicsage.context import AppContext


def check_export_dir(ctx: "AppContext", dir: str | os.PathLike) -> None:
    """Refuse ``dir`` when it is the library's data dir or cache dir, or inside either (by
    any name: a link, ``..``), when the folder it would be made in does not exist, or when
    it is a link to nothing — export made the link's target and every missing folder above
    it (a link to an unmounted drive's folder filled the empty mount point); nothing is
    written either way."""
    from musicsage.search.m3u import check_folder_of

    out = home_expanded(dir, suffix=" (nothing was written)")  # ~nouser: refused
    refuse_closed_folder_above(dir, out, "export into another folder")
    _refuse_link_loop(dir, out, "export into another")
    inside = _app_folder_around(ctx, out)
    if inside is not None:
        raise MusicsageError(f"{dir} is {inside}: export into a folder of your own "
                             "(nothing was written)")
    _refuse_link_to_nowhere(dir, out, "export into another")
    if not out.is_dir():
        check_folder_of(out, "dataset dir")


def check_train_out(out: str) -> None:
    """Refuse ``train --out OUT`` where OUT is a link to nothing, in a loop of links or
    under a folder this user may not open, in the words :func:`check_export_dir` has for
    them, before the dataset is read: the run said "cannot write into OUT (File exists)" of
    a link, which names no fault one can see (``ls`` shows no OUT in the way), and
    "Permission denied: OUT" of a closed folder, naming neither it nor what to do."""
    given = f"--out {out}"
    path = home_expanded(out, suffix=" (nothing was written)")  # ~nouser: refused
    refuse_closed_folder_above(given, path, "choose another --out folder")
    _refuse_link_loop(given, path, "choose another --out folder")
    _refuse_link_to_nowhere(given, path, "choose another --out folder")


def refuse_closed_folder_above(given: str | os.PathLike, out: Path, instead: str) -> None:
    """Refuse ``out`` when a folder above it may not be searched (``chmod a-x``, another
    user's ``700`` home), naming that folder: export said only "Permission denied: OUT",
    naming neither the folder in the way nor what to do. Where ``out`` is a link into such a
    folder, or the folder in the way as spelled is (``link/sub``), the folder named is the
    one above where it leads, and so is that place: the link's own entry is seen, and
    "Permission denied: OUT" was said again. A closed folder reached through a link higher
    up (``/home`` → ``/var/home``) is named as spelled. ``instead``: the way out besides
    getting access to it."""
    from musicsage.library.dataset_files import closed_folder

    seen = False
    try:
        os.lstat(out)
        seen = True  # its own entry is seen: out is a link, closed where it leads
        os.stat(out)
        return
    except PermissionError as exc:
        reason = exc.strerror or str(exc)
    except OSError:  # not there, or a name too long: said by the checks and writes after
        return
    spelled = None if seen else closed_folder(out)
    real = Path(os.path.realpath(out))  # followed as far as this user may look
    if (spelled is not None and not spelled.is_symlink()) or real == Path(os.path.abspath(out)):
        closed, leads = spelled or closed_folder(real), ""
    else:
        closed, leads = closed_folder(real), f" it leads to {real}, and"
    raise MusicsageError(f"{given} cannot be reached:{leads} this user may not open the folder "
                         f"{closed} above {'that' if leads else 'it'} ({reason}); "
                         f"get access to it, or {instead} (nothing was written)")


def _refuse_link_to_nowhere(given: str | os.PathLike, out: Path, instead: str) -> None:
    """Refuse ``out`` when it is a link to nothing (its target's tree was made, parents and
    all, by ``export``), naming the folder it leads to, not its text ("to ../exps/new" named
    no folder one can find); ``instead``: the way out besides mounting or creating it."""
    if out.is_symlink() and not out.exists():
        raise MusicsageError(f"{given} is a broken link (to {os.path.realpath(out)}, which "
                             f"does not exist): mount or create its folder, or {instead} "
                             "(nothing was written)")


def _refuse_link_loop(dir: str | os.PathLike, out: Path, instead: str) -> None:
    """Refuse ``out`` when it, or a folder above it, is a link that leads back to itself
    (``loop -> loop``, ``a -> b -> a``): ``export loop/sub`` ended in "unexpected error
    (RuntimeError: Symlink loop …)" once the export resolved DIR, and ``export loop`` was
    called a link to a folder "which does not exist", naming the link itself. ``instead``:
    the way out besides pointing the link at a folder."""
    if in_a_loop_of_links(out):
        raise MusicsageError(f"{dir} cannot be reached: a link in it leads back to itself (a "
                             f"loop of links); point the link at a folder, or {instead} "
                             "(nothing was written)")


def _app_folder_around(ctx: "AppContext", out: Path) -> str | None:
    """Which of the app's folders ``out`` is or lies in, in words (``"inside the library's
    own data dir (…)"``, ``"the library's own cache dir"``), None when neither; the data dir
    first (the cache dir may lie in it). ``out`` is resolved first (:func:`os.path.realpath`:
    its links, and ``..`` after them, followed as far as it exists), and so are the app's
    folders: a link to a folder inside the data dir (``links/gm`` → ``DATA/graph_models``)
    was let through, and ``DATA/..`` refused as inside the data dir, when the written-out
    names were compared. Each real folder above is also compared by identity (a bind mount,
    another spelling of a case-blind disk)."""
    from musicsage.library.paths import shown

    real = Path(os.path.realpath(out))
    folders = (real, *real.parents)
    for what, place in (("data dir", ctx.data_dir), ("cache dir", ctx.cache_dir)):
        real_place = Path(os.path.realpath(place))
        for depth, folder in enumerate(folders):
            if folder == real_place or same_path(folder, place):
                own = f"the library's own {what}"
                return own if depth == 0 else f"inside {own} ({shown(os.fspath(place))})"
    return None
