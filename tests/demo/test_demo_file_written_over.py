"""A demo track written over with garbage larger than the track (a bad copy, a program that
saved something else under its name) is no finished demo: only a file smaller than written
was looked at, so the demo stayed "ready" and every later build "reused" it, unplayable, with
no way on said. It is rendered again, as a track cut short is (a track a user's tag editor
made larger stays as it is: test_demo_file_tagged_by_user)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import soundfile as sf

from musicsage.demo.library import MANIFEST, PLAYLIST_DIR
from musicsage.usecases.demo import build_demo, demo_status

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def one_track_per_format(music: Path) -> list[Path]:
    files = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    found: dict[str, Path] = {}
    for name in files:
        if not name.startswith(PLAYLIST_DIR + "/"):
            path = music.joinpath(*name.split("/"))
            found.setdefault(path.suffix, path)
    assert set(found) == {".flac", ".ogg", ".mp3"}
    return list(found.values())


def test_tracks_written_over_with_larger_garbage_are_rendered_again(ctx):
    built = build_demo(ctx, **TINY)
    tracks = one_track_per_format(built.music_dir)
    frames = [sf.info(track).frames for track in tracks]
    # random garbage, but fixed at its start: os.urandom alone can begin as audio (an MP3
    # frame header), and the test failed by chance
    noise = (lambda n: b"G" + os.urandom(n - 1), bytes, lambda n: b"<html>" * n)
    for track, garbage in zip(tracks, noise):
        track.write_bytes(garbage(track.stat().st_size + 4096))

    assert demo_status(ctx).state == "partial", "a demo with unreadable files is not ready"
    again = build_demo(ctx, **TINY)
    assert not again.reused and again.stages["generate"]["rendered"] == 3
    assert [len(sf.read(track)[0]) for track in tracks] == frames, "the same tracks, whole"
    assert len(again.notes) == 1 and "3 files" in again.notes[0] and "damaged" in again.notes[0]
    assert demo_status(ctx).state == "ready"
