"""Plain helpers of the GUI tests: a tone file, waiting for the window.

A module of its own, not conftest.py: several folders have a conftest.py, and
``from conftest import …`` would get whichever of them pytest imported last.
"""

from __future__ import annotations

import threading

from musicsage.progress import Cancelled, report
from musicsage.usecases.execution import Mode, runs


def write_tone(path, *, seconds=2.0, sr=22050, channels=2, freq=440.0):
    """A short test file whose every sample is predictable (ramp + tone)."""
    import numpy as np
    import soundfile as sf

    n = int(seconds * sr)
    t = np.arange(n) / sr
    left = 0.5 * np.sin(2 * np.pi * freq * t)
    ramp = np.linspace(-0.9, 0.9, n)
    data = np.stack([left, ramp][:channels], axis=1).astype(np.float32)
    sf.write(str(path), data, sr)
    return sf.read(str(path), dtype="float32", always_2d=True)[0]


def settle(qtbot, window, timeout=60_000):
    """Wait until the window has loaded the library and no background job runs."""
    qtbot.waitUntil(lambda: window.app.library.snapshot is not None and not window.workers.busy,
                    timeout=timeout)


def two_model_window(qtbot, make_window, ctx, row=5):
    """A window on the two-model library (``two_models`` fixture) once it lists both models,
    with the ``row``-th track selected and its neighbours shown: ``(window, track id, the
    graph list's track ids)``."""
    from musicsage.usecases.library import list_tracks

    w = make_window(ctx)
    qtbot.waitUntil(lambda: len(w.app.models.models) == 2, timeout=30_000)
    tid = list_tracks(ctx)[row].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(tid, play=False)
    return w, tid, w.neighbours.graph_list.track_ids()


def shown_map(qtbot, width: int, height: int, *, tools: bool = True):
    """A map view on screen at ``width`` × ``height`` (the map of a window of some size),
    with its tools (legend toggle, Pan/Lasso/Rectangle) unless ``tools`` is False; returns
    ``(view, tools or None)``."""
    from musicsage.gui.map_tools import MapTools
    from musicsage.gui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    bar = MapTools(view) if tools else None
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view, bar


@runs(Mode.THREAD)
def slow_demo_build(ctx, progress=None, cancel=None, **_options):
    """A demo build that reports one stage, records nothing (no music is made) and runs until
    cancelled: in place of ``build_demo`` for a window whose build must still be running."""
    report(progress, "generate", 1, 10, "Composing and rendering music (1/6)",
           demo_label="Composing and rendering music")
    while not cancel.cancelled:
        threading.Event().wait(0.02)
    raise Cancelled()


def wait_for(cond, timeout: float = 30.0) -> None:
    """Poll ``cond`` (no event loop: the playback engine's own threads) until true; the limit
    is generous (a loaded 2-core CI machine): a real failure only takes longer to say so."""
    import time

    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("timed out")
        time.sleep(0.005)


def window_with_the_dock_open(qtbot, make_window, library, size: tuple[int, int]):
    """A window of ``size`` with a track selected (its neighbours on the map) and the
    training dock open: the smallest screen's hardest case."""
    from musicsage.usecases.library import list_tracks

    w = make_window(library)
    w.resize(*size)
    qtbot.waitUntil(lambda: w.size().toTuple() == size)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(list_tracks(library)[3].id, play=False)
    settle(qtbot, w)
    w.show_training_dock()
    qtbot.wait(100)
    return w


def unpluggable_output(fake_streams):
    """A stream factory whose device can be unplugged (headphones pulled):
    ``(factory, device)``; ``device["present"] = False`` makes every new stream fail to open."""
    from musicsage.playback.output import PlaybackUnavailable

    device = {"present": True}

    def output(samplerate, channels, callback):
        if not device["present"]:
            raise PlaybackUnavailable(f"cannot open the audio output at {samplerate} Hz: "
                                      "Error querying device -1")
        return fake_streams(samplerate, channels, callback)

    return output, device


def shown_training_panel(qtbot, width: int, height: int):
    """A started training panel (the dock's contents) on screen at ``width`` × ``height``."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)
    panel.start()
    return panel


def menu_texts_while_shown(qtbot, menu) -> list[str]:
    """``menu`` opened: its entries' texts while shown (then it is closed again): the access
    letters a menu gets exist only while it is shown."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu, timeout=10_000)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    menu.close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=10_000)
    return texts


def each_has_its_own_letter(texts: list[str]) -> None:
    """Every entry of a shown menu has an access letter, no two the same."""
    from musicsage.gui.menu_letters import access_letter

    letters = [access_letter(t) for t in texts]
    assert all(letters) and len(set(letters)) == len(letters), texts
