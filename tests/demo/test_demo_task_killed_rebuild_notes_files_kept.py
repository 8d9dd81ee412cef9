"""A rebuild with other settings killed (``kill -9``, Ctrl-C) after it moved a user's file aside
as ``NAME.yours`` said nothing of it (its note comes at the end), and the run that then
finished the rebuild did not either: the user's file was renamed without a word. The run
that finishes notes the files the stopped one moved aside — once: a later run does not."""

from __future__ import annotations

import json

import pytest

import musicsage.demo.library as lib
from musicsage.demo.aside import kept_notes
from musicsage.demo.library import MANIFEST, PLAYLIST_DIR, generate_demo, plan_demo
from musicsage.errors import Cancelled
from musicsage.progress import CancelToken

SMALL = dict(n_tracks=8, seconds=1.0, workers=1)
MINE = "#EXTM3U\n# my own list\n"


def _demo_with_my_playlist(music):
    """A finished demo (seed 0) one of whose playlists the user edited."""
    generate_demo(music, seed=0, **SMALL)
    old = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    playlist = music / next(f for f in old if f.startswith(PLAYLIST_DIR + "/"))
    playlist.write_text(MINE, encoding="utf-8")
    return playlist.with_name(playlist.name + ".yours")


def test_killed_before_the_new_manifest_the_finishing_run_says_what_was_kept(tmp_path,
                                                                          monkeypatch):
    music = tmp_path / "music"
    kept = _demo_with_my_playlist(music)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the kill: the old files gone, the new manifest unwritten

    monkeypatch.setattr(lib, "at_planned_names", killed)
    with pytest.raises(KeyboardInterrupt):
        generate_demo(music, seed=1, **SMALL)
    monkeypatch.undo()
    assert kept.read_text(encoding="utf-8") == MINE

    report = generate_demo(music, seed=1, **SMALL)

    assert report.kept == [kept]
    assert f"kept as {kept.relative_to(music)}" in kept_notes(music, report.kept,
                                                              plan_demo(8, seed=1))[0]
    assert generate_demo(music, seed=1, **SMALL).kept == [], "said once"


def test_stopped_while_rendering_the_finishing_run_says_what_was_kept(tmp_path):
    music = tmp_path / "music"
    kept = _demo_with_my_playlist(music)
    token = CancelToken()

    def stop_after_three(p) -> None:
        if p.done is not None and p.done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):  # Ctrl-C (or a kill) while the new demo renders
        generate_demo(music, seed=1, progress=stop_after_three, cancel=token, **SMALL)
    assert kept.read_text(encoding="utf-8") == MINE

    report = generate_demo(music, seed=1, **SMALL)

    assert report.kept == [kept] and kept.read_text(encoding="utf-8") == MINE
    assert generate_demo(music, seed=1, **SMALL).kept == [], "said once"


def test_a_stopped_rebuild_replaced_by_another_still_says_what_it_kept(tmp_path):
    music = tmp_path / "music"
    kept = _demo_with_my_playlist(music)
    token = CancelToken()

    def stop_after_three(p) -> None:
        if p.done is not None and p.done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):
        generate_demo(music, seed=1, progress=stop_after_three, cancel=token, **SMALL)

    report = generate_demo(music, seed=2, **SMALL)  # other settings again, not a resume

    assert report.kept == [kept] and kept.read_text(encoding="utf-8") == MINE
