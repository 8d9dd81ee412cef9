"""Five tagged tracks in three folders, scanned, and an empty playlists folder: what the
playlist writer and remover tests share. A plain module with a name unique across tests/,
as ``library_audio`` is."""

from __future__ import annotations

import os

from library_audio import write_audio

from musicsage.usecases.library import list_tracks, scan_library

NAMES = ["A/One.wav", "A/Two.wav", "B/Three.wav", "B/Café Ω.wav", "C/Five.wav"]


def playlist_library(ctx, tmp_path):
    """``(ctx, music folder, playlists folder, {path under music: track id})``."""
    music = tmp_path / "music"
    for name in NAMES:
        title = os.path.splitext(os.path.basename(name))[0]
        write_audio(music / name, seconds=0.2, tags={"title": title, "artist": f"Band {name[0]}"})
    scan_library(ctx, [str(music)])
    ids = {t.path.split("/music/", 1)[1]: t.id for t in list_tracks(ctx)}
    lists = tmp_path / "lists"
    lists.mkdir()
    return ctx, music, lists, ids
