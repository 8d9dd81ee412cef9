"""A playlist file overwritten by another program with something that is no playlist (binary
data, a crashed editor's save) was said by ``scan --watch`` as "1 playlist imported", as if
the edit had been taken, though the library kept its old entries; and every later batch, of
whatever file, said "1 playlist imported" again (its file still differs from what was
imported). The batch says it was not read, and why; later batches say it no more."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import scan_library


def test_a_playlist_overwritten_with_garbage_is_said_not_read_once(ctx, tmp_path: Path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "x.wav", seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n")
    scan_library(ctx, [music], [lists])
    (lists / "a.m3u8").write_bytes(b"\x00\x01garbage\xff")
    plan = WatchPlan(roots=[str(music)], playlist_dirs={str(lists)})
    rep = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    assert not rep.empty
    assert "imported" not in rep.summary()
    assert rep.summary().startswith("1 playlist not read (a.m3u8: not a playlist")
    kept = connect(ctx).execute("SELECT COUNT(track_id) FROM playlist_entries").fetchone()[0]
    assert kept == 1  # its entries as they were imported
    (music / "cover.txt").write_text("")  # a later batch that changes nothing: said once
    later = apply_changes(connect(ctx), plan, Batch(paths={str(music / "cover.txt"): False}))
    assert later.empty, later.summary()
    (lists / "a.m3u8").write_text("../music/x.wav\n")  # mended: imported again, and said so
    mended = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    assert mended.summary() == "1 playlist imported"


def test_the_windows_line_says_the_playlist_not_read(ctx, tmp_path: Path):
    from musicsage.controllers.watch import watch_line

    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "x.wav", seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n")
    scan_library(ctx, [music], [lists])
    (lists / "a.m3u8").write_bytes(b"\x00\x01garbage\xff")
    plan = WatchPlan(roots=[str(music)], playlist_dirs={str(lists)})
    rep = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    text, level = watch_line(rep)
    assert text.startswith("Folder watch: 1 playlist not read (a.m3u8: not a playlist"), text
    assert "imported" not in text and level == "warning"
