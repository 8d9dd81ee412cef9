"""A demo track whose tags a user removed ("Remove tags" in a tag editor: the whole file,
smaller than the demo wrote it) is no cut-short file: the demo stays ready and the user's
edit stays. Only a file that reads as damaged (its audio ends early, an Ogg file ends inside
a page) is rendered again."""

from __future__ import annotations

import json
from pathlib import Path

import mutagen

from musicsage.demo.library import MANIFEST
from musicsage.library.tags import probe
from musicsage.usecases.demo import build_demo

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def tracks_by_format(music: Path) -> dict[str, Path]:
    """One track of each audio format the demo writes (FLAC, Ogg Vorbis, MP3)."""
    names = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    found: dict[str, Path] = {}
    for name in names:
        path = music.joinpath(*name.split("/"))
        found.setdefault(path.suffix, path)
    return found


def remove_tags(path: Path) -> None:
    """Take every tag out of ``path``, as a tag editor's "Remove tags" does."""
    audio = mutagen.File(path)
    audio.delete()
    audio.save()


def test_tracks_stripped_of_their_tags_keep_the_edit_and_the_demo_stays_ready(ctx):
    music = build_demo(ctx, until="generate", **TINY).music_dir
    stripped = [tracks_by_format(music)[ext] for ext in (".ogg", ".flac")]
    written = {path: path.stat().st_size for path in stripped}
    for path in stripped:
        remove_tags(path)
    edited = {path: path.read_bytes() for path in stripped}
    assert all(len(edited[p]) < written[p] for p in stripped), "smaller than the demo wrote"

    again = build_demo(ctx, until="generate", **TINY)
    assert again.notes == [] and "generate" not in again.stages, "nothing to repair"
    assert {p: p.read_bytes() for p in stripped} == edited, "the user's edit stays"


def test_a_track_really_cut_short_is_still_rendered_again(ctx):
    music = build_demo(ctx, until="generate", **TINY).music_dir
    ogg = tracks_by_format(music)[".ogg"]
    written = ogg.read_bytes()
    cut = written[:len(written) * 2 // 3]  # a copy stopped two thirds in
    ogg.write_bytes(cut)

    again = build_demo(ctx, until="generate", **TINY)
    assert again.stages["generate"]["rendered"] == 1
    assert ogg.stat().st_size > len(cut) and not probe(str(ogg)).ends_mid_page, "whole again"
