"""``scan FILE…`` reads each audio file it names once: the check that refuses an unreadable
one before anything is made keeps what it read, and the scan takes that instead of decoding
the file again — unless the file changed in between."""

from __future__ import annotations

import os

from library_audio import write_audio

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library import tags as tags_mod
from musicsage.usecases.library import checked_scan_paths, scan_library


def counted_probes(monkeypatch) -> list[str]:
    """The paths every probe of this test reads, in order (the probe itself still runs)."""
    calls: list[str] = []
    real = tags_mod.probe

    def probe(fs_path, fmt=None):
        calls.append(fs_path)
        return real(fs_path, fmt)

    monkeypatch.setattr(tags_mod, "probe", probe)
    return calls


def title(ctx, path) -> str:
    from musicsage.library.db import connect

    return q.track_by_path(connect(ctx), P.from_fs(str(path)))["title"]


def test_a_scan_of_two_named_files_reads_each_once(ctx, music, monkeypatch):
    a = write_audio(music / "a.flac", tags={"title": "Song A"})
    b = write_audio(music / "b.mp3", tags={"title": "Song B"})
    calls = counted_probes(monkeypatch)
    rep = scan_library(ctx, [str(a), str(b)])
    assert rep.added == 2 and rep.errors == []
    assert sorted(calls) == [str(a), str(b)]
    assert (title(ctx, a), title(ctx, b)) == ("Song A", "Song B")  # what the check read


def test_the_command_lines_check_handed_to_the_scan_reads_each_once(ctx, music, monkeypatch):
    """The command line checks the paths before it makes the data dir, then runs the scan:
    with the check's result handed over, the scan reads nothing again."""
    a = write_audio(music / "a.flac")
    b = write_audio(music / "b.wav")
    calls = counted_probes(monkeypatch)
    checked = checked_scan_paths([str(a), str(b)])
    rep = scan_library(ctx, [str(a), str(b)], checked=checked)
    assert rep.added == 2 and sorted(calls) == [str(a), str(b)]


def test_a_named_file_changed_after_the_check_is_read_again(ctx, music, monkeypatch):
    a = write_audio(music / "a.flac", tags={"title": "Before"})
    checked = checked_scan_paths([str(a)])
    write_audio(music / "a.flac", seconds=2.0, tags={"title": "After"})
    os.utime(a, ns=(0, os.stat(a).st_mtime_ns + 1_000_000_000))  # whatever the clock's step
    calls = counted_probes(monkeypatch)
    rep = scan_library(ctx, [str(a)], checked=checked)
    assert rep.added == 1 and calls == [str(a)] and title(ctx, a) == "After"


def test_the_scan_command_reads_each_named_file_once(tmp_path, music, monkeypatch, capsys):
    """``musicsage scan a.flac b.wav``: its check before the data dir is made, the use case
    and the scan together read each file once."""
    from musicsage.cli import main

    a = write_audio(music / "a.flac")
    b = write_audio(music / "b.wav")
    calls = counted_probes(monkeypatch)
    assert main(["scan", str(a), str(b), "--data-dir", str(tmp_path / "data")]) == 0
    assert "2 new" in capsys.readouterr().out and sorted(calls) == [str(a), str(b)]
