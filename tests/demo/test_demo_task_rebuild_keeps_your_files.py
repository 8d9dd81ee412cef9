"""A rebuild of the demo with other settings never deletes a file the user saved under one of
the old demo's track or playlist names: it is moved aside (``NAME.yours``) and said in one
line; the new demo writes its own file there, and the old demo's own files still go."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from musicsage.demo.library import MANIFEST, PLAYLIST_DIR, generate_demo
from musicsage.usecases.demo import build_demo
from musicsage.usecases.library import list_playlists, list_tracks

SMALL = dict(seconds=1.0, audio_model="spectral", workers=1, until="scan")


def _listed(music: Path) -> list[str]:
    return json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]


def test_rebuild_moves_the_users_track_and_playlist_aside(ctx):
    first = build_demo(ctx, n_tracks=8, seed=0, **SMALL)
    music = first.music_dir
    old = _listed(music)
    track = music / old[0]
    playlist = music / next(f for f in old if f.startswith(PLAYLIST_DIR + "/"))
    mine = np.random.default_rng(5).standard_normal(22050).astype("float32") * 0.1
    sf.write(str(track), mine, 22050, format="FLAC")  # re-encoded under the demo's name
    track_bytes = track.read_bytes()
    playlist.write_text("#EXTM3U\n# my own list\n", encoding="utf-8")

    second = build_demo(ctx, n_tracks=8, seed=1, **SMALL)

    kept_track = track.with_name(track.name + ".yours")
    kept_playlist = playlist.with_name(playlist.name + ".yours")
    assert kept_track.read_bytes() == track_bytes, "the user's track must not be deleted"
    assert kept_playlist.read_text(encoding="utf-8") == "#EXTM3U\n# my own list\n"
    assert len(second.notes) == 1 and "2 files" in second.notes[0] and ".yours" in second.notes[0]
    # the old demo's own files went; the moved-aside ones are not taken for demo music
    new = set(_listed(music))
    assert not [f for f in old if f not in new and (music / f).exists()]
    paths = {t.path for t in list_tracks(ctx)} | {p.path for p in list_playlists(ctx)}
    assert str(kept_track) not in paths and str(kept_playlist) not in paths
    assert all(str(music / f) in paths for f in new)


def test_a_users_file_at_a_new_demo_name_is_not_adopted(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    plan_new = generate_demo(tmp_path / "probe", n_tracks=8, seed=1, seconds=1.0, workers=1)
    name = _listed(tmp_path / "probe")[0]
    assert name not in _listed(music)
    theirs = music / name
    theirs.parent.mkdir(parents=True, exist_ok=True)
    theirs.write_bytes(b"my own bytes")

    report = generate_demo(music, n_tracks=8, seed=1, seconds=1.0, workers=1)

    assert report.fingerprint == plan_new.fingerprint
    assert theirs.with_name(theirs.name + ".yours").read_bytes() == b"my own bytes"
    assert theirs.read_bytes() != b"my own bytes", "the new demo writes its own file there"
    assert report.kept == [theirs.with_name(theirs.name + ".yours")]


def test_the_demos_own_unchanged_files_are_still_deleted(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    old = set(_listed(music))
    report = generate_demo(music, n_tracks=8, seed=1, seconds=1.0, workers=1)
    assert report.kept == []
    assert not list(music.rglob("*.yours*"))
    assert all((music / f).exists() == (f in set(_listed(music))) for f in old)


def test_a_cancelled_build_rebuilt_with_other_settings_moves_nothing_aside(tmp_path):
    import pytest

    from musicsage.errors import Cancelled
    from musicsage.progress import CancelToken

    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    token = CancelToken()

    def stop_after_three(p) -> None:
        if p.done is not None and p.done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):  # Ctrl-C while the new demo renders: nothing hashed yet
        generate_demo(music, n_tracks=8, seed=1, seconds=1.0, workers=1,
                      progress=stop_after_three, cancel=token)
    assert json.loads((music / MANIFEST).read_text(encoding="utf-8"))["complete"] is False
    report = generate_demo(music, n_tracks=8, seed=2, seconds=1.0, workers=1)
    assert report.kept == [] and not list(music.rglob("*.yours*"))


def test_a_manifest_without_hashes_tells_a_changed_track_by_its_size(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    manifest = json.loads((music / MANIFEST).read_text(encoding="utf-8"))
    del manifest["hashes"]  # written before hashes were recorded
    (music / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    track = music / manifest["files"][1]
    with open(track, "ab") as f:
        f.write(b"a cover the user's tag editor added")
    edited = track.read_bytes()

    report = generate_demo(music, n_tracks=8, seed=1, seconds=1.0, workers=1)

    assert report.kept == [track.with_name(track.name + ".yours")]
    assert report.kept[0].read_bytes() == edited
