"""A browser's download into a watched music folder: Firefox puts an empty ``song.wav`` in
place at once and writes ``song.wav.part``, renamed over the empty file when done. The empty
file stayed as it was for the whole download, and the watch said "1 unreadable ('song.wav')"
(a warning in the window) for a file that was only being downloaded."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import watch_running

from musicsage.library import watch, watch_events
from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots

WAIT_S = 20.0
SETTLE_S = 0.5


def test_the_empty_stand_in_of_a_download_is_not_said_unreadable(ctx, music, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(watch_events, "SETTLE_SECONDS", SETTLE_S)  # said sooner, if at all
    monkeypatch.setattr(watch, "SETTLE_SECONDS", SETTLE_S)
    write_audio(music / "a.wav", seconds=0.3)
    scan_roots(connect(ctx), resolve_roots([str(music)]))
    downloaded = write_audio(tmp_path / "song.wav", seconds=0.5, freq=330.0).read_bytes()
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        (music / "song.wav").write_bytes(b"")  # the stand-in, empty while it downloads
        part = music / "song.wav.part"
        part.write_bytes(downloaded[: len(downloaded) // 2])
        time.sleep(8 * SETTLE_S)  # the stand-in settled: long past a file said unreadable
        part.write_bytes(downloaded)
        os.replace(part, music / "song.wav")
        deadline = time.monotonic() + WAIT_S
        while not any(r.scan.added for r in reports):
            assert time.monotonic() < deadline, "the download was never read"
            time.sleep(0.1)
    assert [r.summary() for r in reports if r.scan.errors] == []
    assert [r.summary() for r in reports if not r.empty] == ["1 new ('song.wav')"]
