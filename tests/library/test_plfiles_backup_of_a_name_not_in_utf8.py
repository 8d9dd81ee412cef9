"""The backup of a playlist whose file name is not UTF-8 (``caf\\xe9.m3u``, copied from an old
disk) was named with that byte, and its path came out of ``suggest --add`` as
``caf\\udce9…`` (``--json``: a lone surrogate, which strict JSON readers refuse). Its name is
valid UTF-8 now, and pruning still keeps the newest five."""

from __future__ import annotations

import json
import os

from playlist_support import playlist_library

from musicsage.library.playlists.backups import BACKUP_DIR, KEEP_BACKUPS, backup_key
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist, remove_from_playlist


def test_the_backup_of_a_latin1_named_playlist_has_a_utf8_name(ctx, tmp_path):
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    playlist = os.path.join(os.fsencode(lists), b"caf\xe9.m3u")
    with open(playlist, "wb") as fh:
        fh.write(os.fsencode(music / "A/One.wav") + b"\n")
    pid = scan_library(ctx, [], [os.fsdecode(playlist)]).playlists[0].playlist_id
    others = [ids[n] for n in ["A/Two.wav", "B/Three.wav", "B/Café Ω.wav", "C/Five.wav"]]

    backups = [add_to_playlist(ctx, pid, [t]).backup for t in others]
    backups += [remove_from_playlist(ctx, pid, [t]).backup for t in others[:3]]

    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"], ids["C/Five.wav"]]
    for backup in backups:
        backup.encode("utf-8")  # no lone surrogate
        json.loads(json.dumps({"backup": backup}).encode("utf-8"))
    folder = os.path.dirname(backups[-1])
    assert os.path.basename(folder) == BACKUP_DIR
    kept = sorted(os.listdir(folder))
    assert len(kept) == KEEP_BACKUPS and os.path.basename(backups[-1]) in kept
    assert all(name.startswith("caf\ufffd.") for name in kept)


def test_backups_an_older_version_named_with_the_byte_are_pruned(ctx, tmp_path):
    """Backups made before the names became UTF-8 (``caf\\udce9.KEY.STAMP.m3u``) no longer
    matched the playlist's backups' names and were kept for ever; they are pruned as its own
    (the key proves whose they are), never another playlist's or a file of the user's."""
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    playlist = os.path.join(os.fsencode(lists), b"caf\xe9.m3u")
    with open(playlist, "wb") as fh:
        fh.write(os.fsencode(music / "A/One.wav") + b"\n")
    pid = scan_library(ctx, [], [os.fsdecode(playlist)]).playlists[0].playlist_id
    folder = os.fsencode(os.path.dirname(add_to_playlist(ctx, pid, [ids["A/Two.wav"]]).backup))
    key = backup_key(os.fsdecode(playlist)).encode()
    old = [b"caf\xe9." + key + b".2020010%d-120000Z.m3u" % day for day in range(1, 7)]
    others = [b"caf\xe9.00000000.20200101-120000Z.m3u", b"caf\xe9." + key + b".notes.m3u"]
    for n, name in enumerate(old + others):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(b"old\n")
        os.utime(os.path.join(folder, name), (1_000_000 + n, 1_000_000 + n))

    remove_from_playlist(ctx, pid, [ids["A/Two.wav"]])

    kept = set(os.listdir(folder))
    assert not kept & set(old[:3]) and set(old[3:]) <= kept, "the newest five kept, all ours"
    assert set(others) <= kept
