"""``scan --watch`` said nothing when a playlist's drive was unplugged: the batch's report
held "1 playlist kept while its file cannot be reached" but counted as empty, so the line
was dropped (the one-shot scan says it)."""

from __future__ import annotations

import os
from pathlib import Path

from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import scan_library


def test_the_watch_says_a_playlist_is_out_of_reach(ctx, tmp_path: Path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "x.wav", seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n")
    scan_library(ctx, [music], [lists])
    lists.rename(tmp_path / "unplugged")  # the drive is unplugged: its mount point stays,
    lists.mkdir()  # empty and unmodified since long before the import
    os.utime(lists, (1577836800, 1577836800))
    plan = WatchPlan(roots=[str(music)])
    rep = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    assert rep.scan.playlists_unreachable == ["a"]
    assert not rep.empty  # the watch prints its line
    assert rep.summary() == ("1 playlist kept while its file cannot be reached "
                             "(a drive not mounted?): 'a'")
    (music / "cover.txt").write_text("")  # a later batch that changes nothing: said once
    later = apply_changes(connect(ctx), plan, Batch(paths={str(music / "cover.txt"): False}))
    assert later.empty and later.scan.playlists_unreachable == []
