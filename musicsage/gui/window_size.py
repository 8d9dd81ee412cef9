"""How big the window opens: from the screen's available area the first time, then as the
user left it.

A fixed first size (1400×860) falls off a 1366×768 laptop screen: the right-hand list, the
player bar and the training dock end up below and right of the screen. So the first window
takes most of the available area (all of it on a small screen, 85–90% of a large one, within
sensible bounds), centred. Later launches restore the size the user left (QSettings), shrunk
to fit if the screen has become smaller since (a laptop without its monitor).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QRect, QSize

COMFORTABLE = QSize(1400, 860)
"""Below this, a screen's whole available area is used."""
LARGEST = QSize(2000, 1300)
"""Above this the window stops growing (a 4K screen does not need a 4K window)."""
SHARE_W, SHARE_H = 0.85, 0.88
FRAME_ALLOWANCE = QSize(0, 32)
"""Room for the window manager's title bar, which ``resize`` does not count."""


def first_window_rect(available: QRect) -> QRect:
    """The first window's geometry (client area) on a screen with ``available`` area."""
    room_w = available.width() - FRAME_ALLOWANCE.width()
    room_h = available.height() - FRAME_ALLOWANCE.height()
    width = min(room_w, max(int(room_w * SHARE_W), min(COMFORTABLE.width(), room_w)), LARGEST.width())
    height = min(room_h, max(int(room_h * SHARE_H), min(COMFORTABLE.height(), room_h)),
                 LARGEST.height())
    x = available.x() + (available.width() - width) // 2
    y = available.y() + FRAME_ALLOWANCE.height() + (room_h - height) // 2
    return QRect(x, y, width, height)


def fitted(rect: QRect, available: QRect) -> QRect:
    """``rect`` shrunk and moved so that it lies within ``available`` (a restored geometry on a
    screen smaller than the one it was saved on)."""
    width = min(rect.width(), available.width() - FRAME_ALLOWANCE.width())
    height = min(rect.height(), available.height() - FRAME_ALLOWANCE.height())
    x = min(max(rect.x(), available.x()), available.x() + available.width() - width)
    y = min(max(rect.y(), available.y() + FRAME_ALLOWANCE.height()),
            available.y() + available.height() - height)
    return QRect(x, y, width, height)


GEOMETRY_MAGIC = 0x1D9D0CB
"""The first number of ``QWidget.saveGeometry``'s bytes."""


def saved_normal_geometry(data: QByteArray) -> tuple[QRect, bool] | None:
    """The window's normal (not maximized) geometry and whether it was maximized, read from
    ``QWidget.saveGeometry``'s bytes; None for bytes that are not such, or that lack any field
    their version has. Qt 6's ``restoreGeometry`` refuses the bytes outright when the screen's
    width has changed by more than a quarter since (a laptop closed on its monitor, a new
    monitor): the size the user left was forgotten and the window opened at its first size.
    Read here, it is kept (then :func:`fitted` to the screen there is now). Bytes cut short
    after the maximized byte were read as whole, and Qt "restored" them as a 1×1, 0×0 or
    700×0 window: every field of the record is read, and the stream must hold them all."""
    stream = QDataStream(data, QIODevice.OpenModeFlag.ReadOnly)
    if stream.readUInt32() != GEOMETRY_MAGIC:
        return None
    version = stream.readUInt16()  # each version so far added fields at the end: a newer
    stream.readUInt16()  # one reads too (the minor version: none added any)
    frame, normal, shown = QRect(), QRect(), QRect()
    stream >> frame
    stream >> normal
    stream.readInt32()  # the screen's number
    maximized = stream.readUInt8() != 0
    stream.readUInt8()  # full screen
    if version >= 2:
        stream.readInt32()  # the screen's width
    if version >= 3:
        stream >> shown  # the geometry itself
    if version < 1 or stream.status() != QDataStream.Status.Ok or too_small(normal.size()):
        return None
    return normal, maximized


SMALLEST = QSize(320, 240)
"""Below this, a restored size is no size a user left (their layout needs more), but what is
left of garbled settings: the first window's size is given instead."""


def too_small(size: QSize) -> bool:
    """Whether ``size`` is no window size a user could have left (:data:`SMALLEST`)."""
    return size.width() < SMALLEST.width() or size.height() < SMALLEST.height()


SCREENSHOT_LARGEST = 8192
"""The longest side (px) of a ``--screenshot`` image, above an 8K screen's 7680: ``--size
100000x100000`` asked for a 40 GB image, and ended in "could not write PNG" (the path was
fine) or took the machine's memory. (The least is the window's own minimum size, which Qt
keeps to; the line that says it was saved gives the size it has.)"""


def capped_size(width: int, height: int, screenshot: bool, desktop: QSize,
                ratio: float = 1.0) -> tuple[int, int]:
    """``--size``'s width and height, each no more than a screenshot may be
    (:data:`SCREENSHOT_LARGEST` pixels of its image, which is the window's size times the
    screen's scale ``ratio``: a cap on the window alone gave 16384 px at ``QT_SCALE_FACTOR=2``)
    or, for a window, than the available area of all the screens (``desktop``; what fits that
    is left as it was, to the window manager): a window of ``--size 100000x100000`` crashed
    (SIGSEGV) as it was drawn, or took the machine's memory first."""
    if screenshot:
        # (not ÷ the scale rounded up: at 1.25 or 1.5, a window of 4096 px, its image 5120)
        largest = max(1, int(SCREENSHOT_LARGEST / ratio)) if ratio > 0 else SCREENSHOT_LARGEST
        return min(width, largest), min(height, largest)
    return min(width, max(1, desktop.width())), min(height, max(1, desktop.height()))
