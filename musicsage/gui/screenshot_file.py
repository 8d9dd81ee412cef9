"""Where ``--screenshot PNG`` may write, and writing it so that a failure leaves what was
there: a screenshot aimed by a typo at a song or the library's database must never touch it.
Kept apart from :mod:`musicsage.gui.app` so that the start-up module stays short."""

from __future__ import annotations

import os
from pathlib import Path

SCREENSHOT_FORMATS = (".png", ".jpg", ".jpeg", ".bmp")


def screenshot_problem(path: str) -> str | None:
    """Why ``path`` cannot take a screenshot, in a few words; None when it can. Checked
    before the window opens: a screenshot aimed at an existing file of another kind (a
    song, the library's database) must never touch it."""
    if not path.lower().endswith(SCREENSHOT_FORMATS):
        return (f"{path}: not an image file name (end it in "
                + ", ".join(SCREENSHOT_FORMATS) + ")")
    if os.path.lexists(path) and not os.path.isfile(path):
        return f"{path}: exists and is not a file"
    from musicsage.errors import MusicsageError
    from musicsage.search.m3u import check_folder_of

    try:
        check_folder_of(path, "screenshot")  # never created: a typo would leave a stray folder
    except MusicsageError as exc:
        return str(exc)
    return None


def save_image_atomically(image, out: Path) -> bool:
    """Write ``image`` (a QPixmap) to ``out`` through a temporary file beside it, so that a
    failed write leaves an existing file as it was. False when it could not be written."""
    from musicsage.files import atomic_replacement

    fmt = out.suffix.lstrip(".").upper().replace("JPG", "JPEG")
    try:
        with atomic_replacement(out) as tmp:
            if not image.save(str(tmp), fmt):
                raise OSError(f"could not write {out}")
        return True
    except OSError:
        return False
