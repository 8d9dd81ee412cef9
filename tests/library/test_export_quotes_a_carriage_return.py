"""A carriage return in a title, a playlist name or a file name (Linux allows one) was written
unquoted into the export, and every reader ends a row there: the playlist ``Late\\rNight``
came back as ``Late`` beside a memberless ``Night``, and the track of ``car\\rret.wav`` as a
missing track plus a made-up one built from the rest of its row. The export quotes such a
cell, so importing it gives the library back as it was."""

from __future__ import annotations

import os
from pathlib import Path

from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.usecases.library import (export_dataset, import_dataset, library_stats,
                                        list_playlists, list_tracks, playlist_track_ids)

ODD_NAME = b"car\rret.wav"


def library_of(ctx: AppContext) -> tuple[list, list]:
    """Each track as (path, title, artist) and each playlist as (name, its tracks' titles)."""
    tracks = {t.id: t for t in list_tracks(ctx)}
    return (sorted((t.path, t.title, t.artist) for t in tracks.values()),
            sorted((p.name, [tracks[i].title for i in playlist_track_ids(ctx, p.id)])
                   for p in list_playlists(ctx)))


def test_cells_holding_a_carriage_return_come_back_whole(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(os.fsencode(music) + b"/" + ODD_NAME, seconds=1.0)
    write_audio(music / "plain.wav", seconds=1.0, freq=660.0)
    source = tmp_path / "source"
    source.mkdir()
    odd_path = os.fsdecode(os.fsencode(music) + b"/" + ODD_NAME)
    (source / "tracks.csv").write_text(
        "track_id,title,artist,path\n"
        f'1,"Dawn\rChorus",Ann,"{odd_path}"\n'
        f'2,Plain,"Bob\rand Co",{music / "plain.wav"}\n', encoding="utf-8", newline="")
    (source / "memberships.csv").write_text("playlist_id,track_id\n7,1\n7,2\n8,2\n")
    (source / "playlists.csv").write_text('playlist_id,name\n7,"Late\rNight"\n8,Plain\n',
                                          encoding="utf-8", newline="")
    import_dataset(ctx, source)
    before = library_of(ctx)
    assert ("Late\rNight", ["Dawn\rChorus", "Plain"]) in before[1]

    export_dataset(ctx, tmp_path / "export")
    fresh = AppContext.create(tmp_path / "fresh")
    report = import_dataset(fresh, tmp_path / "export")

    assert library_of(fresh) == before
    assert report.notes == []
    stats = library_stats(fresh)
    assert (stats.tracks.total, stats.tracks.missing) == (2, 0)
    assert Path(odd_path).is_file()
