"""The "Save as playlist" dialog: where the window writes a list of tracks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QFileDialog, QWidget

from musicsage.usecases.playlist_names import with_playlist_suffix


def ask_playlist_path(parent: QWidget, default: Path,
                      confirm: Callable[[str, str], bool]) -> str:
    """A file name for a playlist to write ("" when the user cancels), named as a playlist:
    "mix" typed is written as "mix.m3u8" (:func:`with_playlist_suffix`), which the library
    reads back. The dialog asked before replacing the name typed, not that one: ``confirm``
    (the window's) asks of it when it exists."""
    typed, _f = QFileDialog.getSaveFileName(parent, "Save as playlist", str(default),
                                            "M3U8 playlist (*.m3u8)")
    path = with_playlist_suffix(typed)
    if path != typed and os.path.lexists(path) and not confirm(
            "Save as playlist", f"{Path(path).name} already exists in {Path(path).parent}. "
            "Replace it?"):
        return ""
    return path
