"""A music folder swapped for another of its name (``mv music music_old; mv music_new music``)
while the watch looks at its folders: a look that falls between the two renames (a loaded
machine preempts the shell there) saw the folder gone, and the batch that followed found the
new one in its place. That batch said only "1 new, 1 now missing", the next look's "back" was
never said, and a test waiting for it timed out in a CI run under load."""

from __future__ import annotations

import threading

from library_audio import write_audio
from test_watch_folder import Watching, present, wait_until

from musicsage.library import watch as watch_module
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def test_a_folder_swapped_just_after_a_look_saw_it_gone_is_said_back(ctx, tmp_path,
                                                                      monkeypatch):
    music, old, new = tmp_path / "music", tmp_path / "music_old", tmp_path / "music_new"
    write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    write_audio(new / "two.wav", seconds=0.2, freq=400.0)
    scan_library(ctx, [str(music)])
    conn = connect(ctx)
    second_rename_due = threading.Event()
    look = watch_module._roots_now

    def look_then_the_second_rename(roots):
        """The look lands between the two renames: it sees the folder gone, and the new one
        is in place before the batch that follows reads it (deterministic, not by load)."""
        seen = look(roots)
        if second_rename_due.is_set() and str(music) in seen[1]:
            second_rename_due.clear()
            new.rename(music)
        return seen

    monkeypatch.setattr(watch_module, "_roots_now", look_then_the_second_rename)
    second_rename_due.set()  # before the first rename: no look can see the folder gone alone
    watch = Watching(ctx)
    try:
        music.rename(old)
        back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
        assert back[0].summary() == (f"{music} is back, 1 new ('two.wav'), "
                                     "1 now missing ('one.wav')")
        assert present(conn, music / "two.wav") and not present(conn, music / "one.wav")
        write_audio(music / "later.wav", seconds=0.2, freq=500.0)  # the new folder is observed
        wait_until(lambda: present(conn, music / "later.wav"), "a new file in the new folder")
    finally:
        watch.stop()
    said = [r.summary() for r in watch.reports if not r.empty]
    assert said == [back[0].summary(), "1 new ('later.wav')"]  # no "gone", nothing twice
