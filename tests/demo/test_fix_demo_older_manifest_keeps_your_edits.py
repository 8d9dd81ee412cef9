"""A demo built by an earlier version (its manifest records no hashes — every existing user's)
rebuilt with other settings, or repaired first, never deletes a track the user tagged anew in
place (same size) or a playlist they edited: such files were changed after the manifest was
written, and are moved aside as ``NAME.yours``. An untouched older demo moves nothing aside."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import mutagen

from musicsage.demo.library import MANIFEST, PLAYLIST_DIR, generate_demo

SMALL = dict(n_tracks=8, seconds=1.0, workers=1)


def _older_demo(music: Path) -> dict:
    """A finished demo as an earlier version left it: no ``hashes`` in its manifest, each
    file written before the manifest (an hour ago, as a real one was)."""
    generate_demo(music, seed=0, **SMALL)
    manifest = json.loads((music / MANIFEST).read_text(encoding="utf-8"))
    del manifest["hashes"]
    (music / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    then = time.time_ns() - 3600 * 10**9
    for name in manifest["files"]:
        os.utime(music / name, ns=(then, then))
    os.utime(music / MANIFEST, ns=(then + 10**9, then + 10**9))
    return manifest


def _edit(music: Path, manifest: dict) -> tuple[Path, bytes, Path, bytes]:
    """Tag a FLAC anew in place (its size stays: the tags fit in its padding) and add a line
    to a playlist, as a user's tag editor and music player would."""
    track = music / next(f for f in manifest["files"] if f.endswith(".flac"))
    size = track.stat().st_size
    tagged = mutagen.File(track)
    tagged["title"] = ["My own title"]
    tagged.save()
    assert track.stat().st_size == size, "a retag in place keeps the size"
    playlist = music / next(f for f in manifest["files"] if f.startswith(PLAYLIST_DIR + "/"))
    playlist.write_text(playlist.read_text(encoding="utf-8") + "# my own note\n",
                        encoding="utf-8")
    return track, track.read_bytes(), playlist, playlist.read_bytes()


def _aside(path: Path) -> Path:
    return path.with_name(path.name + ".yours")


def test_an_older_demos_retagged_track_and_edited_playlist_are_moved_aside(tmp_path):
    music = tmp_path / "music"
    track, track_bytes, playlist, playlist_bytes = _edit(music, _older_demo(music))

    report = generate_demo(music, seed=1, **SMALL)

    assert _aside(track).read_bytes() == track_bytes, "the retagged track must not be deleted"
    assert _aside(playlist).read_bytes() == playlist_bytes, "the edited playlist neither"
    assert sorted(report.kept) == sorted([_aside(track), _aside(playlist)])


def test_an_untouched_older_demo_is_rebuilt_with_nothing_moved_aside(tmp_path):
    music = tmp_path / "music"
    old = _older_demo(music)["files"]

    report = generate_demo(music, seed=1, **SMALL)

    assert report.kept == [] and not list(music.rglob("*.yours*"))
    new = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert not [f for f in old if f not in new and (music / f).exists()]


def test_a_repaired_older_demo_does_not_take_your_edits_for_its_own(tmp_path):
    music = tmp_path / "music"
    manifest = _older_demo(music)
    track, track_bytes, playlist, playlist_bytes = _edit(music, manifest)
    gone = music / next(f for f in manifest["files"] if f.endswith((".ogg", ".mp3")))
    gone.unlink()  # a repair: the same settings, one track rendered again

    repaired = generate_demo(music, seed=0, **SMALL)
    assert repaired.rendered == 1 and gone.is_file()
    assert track.read_bytes() == track_bytes, "a repair leaves the user's edits where they are"
    report = generate_demo(music, seed=1, **SMALL)

    assert _aside(track).read_bytes() == track_bytes
    assert _aside(playlist).read_bytes() == playlist_bytes
    assert sorted(report.kept) == sorted([_aside(track), _aside(playlist)])


def test_an_older_demo_whose_owner_is_recorded_keeps_telling_your_edits(tmp_path):
    music = tmp_path / "music"
    manifest = _older_demo(music)
    assert "library" not in manifest
    track, track_bytes, playlist, playlist_bytes = _edit(music, manifest)
    generate_demo(music, seed=0, library=tmp_path / "lib", **SMALL)  # the manifest written anew
    assert json.loads((music / MANIFEST).read_text(encoding="utf-8"))["library"]

    report = generate_demo(music, seed=1, library=tmp_path / "lib", **SMALL)

    assert sorted(report.kept) == sorted([_aside(track), _aside(playlist)])
    assert _aside(track).read_bytes() == track_bytes
