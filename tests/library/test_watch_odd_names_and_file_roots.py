"""The folder watch with names a hand-made URI decoding could get wrong (a byte that is not
UTF-8, a '#' or '?' in a name), and a music folder that is one file: it is there, though it
is not a folder, and going and coming back is said as for a folder."""

from __future__ import annotations

import os

from musicsage.library import paths as P
from musicsage.library import watch_events
from musicsage.library.scan_report import ShownPath
from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan
from musicsage.library.watch_events import Unreadable


def test_an_unreadable_file_with_an_odd_name_is_looked_at_again_by_its_own_path(tmp_path,
                                                                                monkeypatch):
    """The error shows U+FFFD for the Latin-1 byte; its URI names the file, so the file is
    looked at again (not taken for gone and said at once) and said once it stays as it is."""
    monkeypatch.setattr(watch_events, "SETTLE_SECONDS", 0.0)
    name = os.fsencode(tmp_path) + b"/caf\xe9 #1 ?x=2.flac"
    with open(name, "wb") as fh:
        fh.write(b"fLaC")
    path = os.fsdecode(name)
    error = [(ShownPath.of(P.from_fs(name)), "not a FLAC file")]
    assert "\ufffd" in error[0][0] and "%E9" in error[0][0].uri
    seen = Unreadable()
    assert seen.sift(error, [str(tmp_path)]) == ([], {path: False})
    assert seen.sift(error, [str(tmp_path)]) == (error, {})  # stayed so: said, once
    assert seen.sift(error, [str(tmp_path)]) == ([], {})


def _taken(watch: FolderWatch) -> list[str]:
    batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=0.0)
    return sorted(batch.paths) if batch else []


def _events_settled(watch: FolderWatch, marker) -> None:
    """Let the observer's own events for a change (its thread delivers them when it will) in
    and drop them: what is pending afterwards is what :meth:`FolderWatch.look_at_roots` added.
    ``marker``, a folder made now in the watched folder, is one event that inotify delivers
    after the change's: once it is in, so are they, however late the observer's thread ran."""
    marker.mkdir()
    seen: set[str] = set()
    while str(marker) not in seen:
        batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=60.0)
        assert batch is not None, "the observer delivered no event"
        seen.update(batch.paths)


def test_a_music_folder_that_is_one_file_counts_as_there(tmp_path):
    """``scan song.flac`` makes the file a music folder: each look finds it there (nothing
    to say); deleted it is a batch, and back again another."""
    song, folder = tmp_path / "song.flac", tmp_path / "music"
    song.write_bytes(b"fLaC")
    folder.mkdir()
    with FolderWatch(WatchPlan(roots=[str(song), str(folder)])) as watch:
        assert watch.look_at_roots() is False and _taken(watch) == []
        song.unlink()
        _events_settled(watch, tmp_path / "gone")
        assert watch.look_at_roots() is False and _taken(watch) == [str(song)]
        song.write_bytes(b"fLaC")
        _events_settled(watch, tmp_path / "back")
        assert watch.look_at_roots() is True and _taken(watch) == [str(song)]
        assert watch.look_at_roots() is False and _taken(watch) == []
