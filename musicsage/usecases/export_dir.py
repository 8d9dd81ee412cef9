"""Where ``export DIR`` may write: checked before any work, refused in one line.

``export`` wrote its CSVs beside ``library.sqlite3`` when DIR was the library's own data dir,
and made every missing folder above DIR (a typo left a tree of stray folders), where
``--m3u FILE`` refuses a FILE whose folder is not there
(:func:`~musicsage.search.m3u.check_folder_of`). DIR itself is made when missing, as before.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from musicsage.errors import MusicsageError
from musicsage.files import same_path

if TYPE_CHECKING:
    from musicsage.context import AppContext


def check_export_dir(ctx: "AppContext", dir: str | os.PathLike) -> None:
    """Refuse ``dir`` when it is the library's data dir (by any name: a link, ``..``) or
    when the folder it would be made in does not exist; nothing is written either way."""
    from musicsage.search.m3u import check_folder_of

    out = Path(dir).expanduser()
    if same_path(out, ctx.data_dir):
        raise MusicsageError(f"{dir} is the library's own data dir: export into another "
                             "folder (nothing was written)")
    if not out.is_dir():
        check_folder_of(out, "dataset dir")
