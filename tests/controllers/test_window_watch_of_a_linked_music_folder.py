"""The window's folder watch on a music folder that is a symbolic link (``~/Music ->
/mnt/disk/Music``), through its controller: the real use case runs on a thread on real files
(inotify), and what it reports reaches the controller. A WAV written at the top of the folder
the link leads to was never heard (watchdog watched the link itself); now it is one track,
under the link's path, and the batch is the controller's last report."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import soundfile as sf

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library

TIMEOUT = 60.0


def write_wav(path, freq: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(4410) / 22050
    sf.write(str(path), (0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32), 22050)


def test_the_windows_watch_finds_a_file_behind_a_link_under_the_links_path(make_app, ctx,
                                                                          tmp_path):
    real, link = tmp_path / "disk/Music", tmp_path / "Music"
    write_wav(real / "Album/seed.wav", 200.0)
    os.symlink(real, link)
    scan_library(ctx, [str(link)])
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    app.watch.set_enabled(True)
    (task,) = [t for t in runner.queue if t.name == "watch"]
    runner.queue.remove(task)
    thread = threading.Thread(target=task.execute, daemon=True)  # the watch, for real
    thread.start()
    top = P.from_fs(str(link / "top.wav"))

    def stored() -> dict[str, str]:
        return {r[0]: r[1] for r in connect(ctx).execute("SELECT path, status FROM tracks")}

    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and top not in stored():
            write_wav(real / "top.wav", 300.0)  # again until heard: the watch says "ready"
            time.sleep(2.0)  # only when the task ends, so when it observes is not known
    finally:
        app.watch.set_enabled(False)  # the setting off: the watch stops, and is not restarted
        thread.join(TIMEOUT)
    assert sorted(stored()) == [P.from_fs(str(link / "Album/seed.wav")), top]
    assert app.watch.last_report.summary() == "1 new ('top.wav')"
    assert app.watch.batches == 1 and not app.watch.running
