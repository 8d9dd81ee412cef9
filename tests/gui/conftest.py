"""GUI test fixtures: Qt settings kept in the test's temp dir."""

from __future__ import annotations

import threading

import pytest

from gui_support import settle
from music_support import make_music


@pytest.fixture(autouse=True)
def _temp_qsettings(tmp_path, monkeypatch):
    """QSettings (window geometry, last choices) never touch the user's real config."""
    from PySide6.QtCore import QSettings

    d = tmp_path / "qsettings"
    d.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(d))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(d))
    yield d


class FakeOutputStream:
    """Stands in for ``sounddevice.OutputStream``: pulls the callback like a sound card.

    ``pull(n)`` asks the callback for ``n`` frames (deterministic tests); with
    ``realtime=True`` a thread pulls ``blocksize`` frames every ``blocksize / samplerate``
    seconds while started, as a device would. Every block delivered is recorded in ``played``.
    """

    instances: list["FakeOutputStream"] = []

    def __init__(self, samplerate, channels, callback, *, blocksize=1024, realtime=False):
        import threading

        self.samplerate, self.channels, self.callback = samplerate, channels, callback
        self.blocksize, self.realtime = blocksize, realtime
        self.active = False
        self.closed = False
        self.played = []
        self._lock = threading.Lock()
        self._thread = None
        FakeOutputStream.instances.append(self)

    def start(self):
        import threading

        assert not self.closed
        self.active = True
        if self.realtime and self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def stop(self):
        self.active = False
        t, self._thread = self._thread, None
        if t is not None:
            t.join(2)

    def close(self):
        self.stop()
        self.closed = True

    def pull(self, frames):
        import numpy as np

        out = np.full((frames, self.channels), np.nan, np.float32)
        self.callback(out, frames, None, None)
        assert not np.isnan(out).any(), "callback left samples unwritten"
        with self._lock:
            self.played.append(out.copy())
        return out

    def _run(self):
        import time

        period = self.blocksize / self.samplerate
        while self.active:
            self.pull(self.blocksize)
            time.sleep(period)

    @property
    def samples(self):
        import numpy as np

        with self._lock:
            return np.concatenate(self.played) if self.played else np.zeros((0, self.channels), np.float32)


@pytest.fixture
def fake_streams(monkeypatch):
    """A factory making FakeOutputStreams (deterministic) and the list of those it made.

    These streams are pulled by hand, when a test asks: one never pulled for 10 s is what a
    suspended sink looks like (a device error), which a slow run of a window test must not
    meet by chance; the tests of that rule set their own deadline."""
    from musicsage.playback import claims

    monkeypatch.setattr(claims, "UNHEARD_SECONDS", 1e9)
    made = []

    def factory(samplerate, channels, callback):
        s = FakeOutputStream(samplerate, channels, callback)
        made.append(s)
        return s

    factory.made = made
    return factory


@pytest.fixture
def realtime_streams():
    made = []

    def factory(samplerate, channels, callback):
        s = FakeOutputStream(samplerate, channels, callback, realtime=True, blocksize=512)
        made.append(s)
        return s

    factory.made = made
    yield factory
    for s in made:
        s.close()


@pytest.fixture
def no_portaudio(monkeypatch):
    """A machine without libportaudio2: importing sounddevice fails as it does there."""
    import builtins
    import sys

    real_import = builtins.__import__

    def import_without_portaudio(name, *a, **k):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *a, **k)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", import_without_portaudio)


@pytest.fixture
def library(ctx, tmp_path):
    """A scanned and (spectral-)embedded library: what a user has after "Add music folder"."""
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    # 12 tracks: below UMAP's minimum the map is a PCA layout, so no numba compile in tests
    music, playlists, paths = make_music(tmp_path / "src", n_tracks=12)
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    return ctx


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Open a MainWindow on a library with its settings in tmp; closed (cleanly) at teardown."""
    from PySide6.QtCore import QSettings

    from musicsage.gui.main_window import MainWindow

    made = []

    def make(ctx, *, wait=True, **kw):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        kw.setdefault("probe_audio", False)
        w = MainWindow(ctx, settings=settings, show_dialogs=False, **kw)
        qtbot.addWidget(w)
        w.resize(1300, 800)
        w.show()
        made.append(w)
        if wait:
            settle(qtbot, w)
        return w

    yield make
    for w in made:
        w.close()


@pytest.fixture(autouse=True)
def _restore_interpreter_tuning():
    """The window tunes process-wide knobs (GIL switch interval, gc thresholds, gc.freeze);
    put them back so other areas' tests run in a default interpreter."""
    import gc
    import sys

    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    yield
    sys.setswitchinterval(interval)
    gc.set_threshold(*thresholds)
    gc.unfreeze()


@pytest.fixture(scope="session")
def mapped_library_template(tmp_path_factory):
    """What :func:`library` makes, built once per run and its audio map laid out and kept in
    its cache (under ``root / "data"``). Read-only; a test takes a copy (:func:`mapped_library`)."""
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.search import map_points

    root = tmp_path_factory.mktemp("mapped-library")
    ctx = AppContext.create(root / "data")
    music, playlists, _ = make_music(root / "src", n_tracks=12)
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    map_points(ctx, "audio")  # 12 tracks: a PCA layout, no numba compile
    return root


@pytest.fixture
def mapped_library(mapped_library_template, tmp_path):
    """A test's own copy of :func:`library` whose map is already laid out: a window opened on
    it reads the map from the cache instead of starting a child process to lay it out (about
    a second a window on 2 cores). For tests of the window's geometry, not of the map; the
    music files are the template's, shared: a test that changes them uses :func:`library`."""
    from models_support import copy_library

    return copy_library(mapped_library_template, tmp_path / "mapped")


@pytest.fixture(scope="session")
def _run_helper_process():
    """The one helper process of :func:`shared_helper`, stopped at the end of the run."""
    from musicsage.processes import HelperProcess

    helper = HelperProcess()
    yield helper
    helper.shutdown()


@pytest.fixture
def shared_helper(_run_helper_process, monkeypatch):
    """Windows made in the test call one helper process kept for the whole run, not one of
    their own: each of their own spawned a Python that imports torch for a track's tags (about
    3 s on 2 cores, 8 s on a busy one), where the run's answers in a fraction of a second
    after its first call. What it keeps between calls is the loaded tagger, keyed by its
    weights folder: the same answers for every library. For tests that do not check the
    helper itself (its start, its crash, its end with the window)."""

    class RunsHelper:
        def call(self, fn, /, *args, **kwargs):
            return _run_helper_process.call(fn, *args, **kwargs)

        def shutdown(self) -> None:
            """The run's helper outlives the window: :func:`_run_helper_process` stops it."""

    monkeypatch.setattr("musicsage.gui.workers.HelperProcess", RunsHelper)


@pytest.fixture(scope="session")
def embedded_72_template(tmp_path_factory):
    """72 generated tracks (more than the graph model's 64 dimensions) in playlists, scanned
    and embedded (spectral), built once a run: ``ROOT/src`` the music, ``ROOT/data`` the
    library. Templates of trained and untrained libraries start from copies of ``data``
    (:func:`models_support.copy_library`); the music files, shared, are never changed."""
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    root = tmp_path_factory.mktemp("embedded72")
    music, playlists, _ = make_music(root / "src", n_tracks=72, seconds=1.0)
    ctx = AppContext.create(root / "data")
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    return root


@pytest.fixture
def held_read(make_window, monkeypatch):  # after the window: set before it closes
    """The library's read waits for this event: the window stays "opening" until it is set
    (at the latest as the test ends, before its window closes)."""
    from musicsage.controllers import library as library_controller

    go = threading.Event()
    real = library_controller.load_snapshot

    def slow_read(*args, **kwargs):
        go.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(library_controller, "load_snapshot", slow_read)
    yield go
    go.set()


def _slow_run(stage: str):
    """A training or embedding run (reporting ``stage``) that goes until cancelled."""
    from musicsage.progress import Cancelled, report
    from musicsage.usecases.execution import Mode, runs

    @runs(Mode.THREAD)
    def run(*_args, progress=None, cancel=None, **_options):
        report(progress, stage, 0, None, "starting")
        while not cancel.cancelled:
            threading.Event().wait(0.02)
        raise Cancelled()

    return run


@pytest.fixture
def slow_runs(monkeypatch):
    """Retrain and Compute embeddings start runs that go on until cancelled."""
    from musicsage.usecases import pipeline

    monkeypatch.setattr(pipeline, "train", _slow_run("train"))
    monkeypatch.setattr(pipeline, "embed", _slow_run("embed spectral"))
