"""Playlist backups are named by the UTC time and pruned by when they were written: named by
local time, every backup made after a move west (or DST's fall-back) sorted before the older
ones, and each add then pruned the backup the add before it had made."""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone

import pytest
from library_audio import write_audio

from musicsage.library.playlists.edit import BACKUP_DIR, KEEP_BACKUPS, backup_key
from musicsage.usecases.library import list_tracks, scan_library
from musicsage.usecases.suggest import add_to_playlist


@pytest.fixture
def in_zone(monkeypatch):
    """``in_zone(name)`` sets the process's local time zone (restored after the test)."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def mix(ctx, tmp_path):
    """A playlist ``Mix.m3u`` of one track, its id, and the ids of nine more tracks."""
    music = tmp_path / "music"
    for i in range(10):
        write_audio(music / f"t{i}.wav", seconds=0.1, tags={"title": f"Song {i}"})
    scan_library(ctx, [str(music)])
    ids = {os.path.basename(t.path): t.id for t in list_tracks(ctx)}
    path = tmp_path / "lists" / "Mix.m3u"
    path.parent.mkdir()
    path.write_text(f"#EXTM3U\n{music / 't0.wav'}\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    return path, pid, [ids[f"t{i}.wav"] for i in range(1, 10)]


def _ours(ctx, path) -> set[str]:
    prefix = f"Mix.{backup_key(str(path))}."
    return {str(p) for p in (ctx.data_dir / BACKUP_DIR).iterdir() if p.name.startswith(prefix)}


def test_backups_made_after_the_clock_went_west_are_kept(ctx, mix, in_zone):
    path, pid, ids = mix
    made, versions = [], []
    for i, zone in enumerate(["Europe/Berlin"] * 5 + ["America/New_York"] * 2):
        in_zone(zone)
        versions.append(path.read_bytes())
        made.append(add_to_playlist(ctx, pid, [ids[i]]).backup)

    assert _ours(ctx, path) == set(made[-KEEP_BACKUPS:]), "the newest five, whatever the zone"
    assert [open(p, "rb").read() for p in made[-KEEP_BACKUPS:]] == versions[-KEEP_BACKUPS:]
    stamp = re.search(r"\.(\d{8}-\d{6})Z(?:-\d+)?\.m3u$", made[-1])
    assert stamp, f"the name says its time is UTC: {made[-1]}"
    written = datetime.strptime(stamp.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - written).total_seconds()) < 120


def test_local_time_names_of_earlier_versions_rank_by_when_they_were_written(ctx, mix):
    """Backups an earlier version named by local time (no ``Z``) are still this playlist's,
    pruned oldest first — even where their local stamp reads later than the UTC ones."""
    path, pid, ids = mix
    backups = ctx.data_dir / BACKUP_DIR
    backups.mkdir()
    key = backup_key(str(path))
    old = [backups / f"Mix.{key}.29991231-235959{n}.m3u" for n in ("", "-1", "-2")]
    for year, file in zip((2019, 2020, 2021), old):
        file.write_text("an older backup")
        when = datetime(year, 1, 1, tzinfo=timezone.utc).timestamp()
        os.utime(file, (when, when))

    made = [add_to_playlist(ctx, pid, [tid]).backup for tid in ids[:3]]

    assert _ours(ctx, path) == {*made, str(old[1]), str(old[2])}, "the oldest written went"
