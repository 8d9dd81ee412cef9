"""Scanning a generated music folder into a test's library, as a user does (``scan``), or
with a playlist file imported beside its tracks (``library_with_a_playlist``)."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.cli import main
from musicsage.usecases.library import list_tracks, scan_library


def scan(ctx, music) -> None:
    """Scan ``music`` into ``ctx``'s library with the CLI; the scan must succeed."""
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0


def library_with_a_playlist(ctx, tmp_path, filename: str, data: bytes):
    """first.wav and second.wav scanned, and ``filename`` holding ``data`` imported: the
    playlist's id, the tracks' ids by file name, the file."""
    music = tmp_path / "music"
    write_audio(music / "first.wav", seconds=0.2, freq=220.0)
    write_audio(music / "second.wav", seconds=0.2, freq=330.0)
    scan_library(ctx, [str(music)])
    ids = {t.path.rsplit("/", 1)[1]: t.id for t in list_tracks(ctx)}
    path = music / filename
    path.write_bytes(data)
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    return report.playlist_id, ids, path
