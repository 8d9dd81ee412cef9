"""A demo track a user tagged (a tag editor added a long comment: the file grew) is the
user's file now: the demo stays ready and no build renders it again, losing the tags — only
a file smaller than the demo wrote it counts as cut short."""

from __future__ import annotations

import json
from pathlib import Path

import mutagen

from musicsage.demo.library import MANIFEST
from musicsage.usecases.demo import build_demo, demo_status

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)
COMMENT = "liner notes " * 2000  # ~24 kB, as an editor pasting a review would add


def tracks_by_format(music: Path) -> dict[str, Path]:
    """One track of each audio format the demo writes (FLAC, Ogg Vorbis, MP3)."""
    names = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    found: dict[str, Path] = {}
    for name in names:
        path = music.joinpath(*name.split("/"))
        if path.suffix in (".flac", ".ogg", ".mp3"):
            found.setdefault(path.suffix, path)
    return found


def tag(path: Path, comment: str | None) -> None:
    """Set (or, with None, take out: FLAC and Ogg) a comment as a tag editor would."""
    if path.suffix == ".mp3":
        from mutagen.id3 import COMM

        audio = mutagen.File(path)
        audio.tags.add(COMM(encoding=3, lang="eng", desc="", text=comment))
    else:
        audio = mutagen.File(path, easy=True)
        if comment is None:
            del audio["comment"]
        else:
            audio["comment"] = comment
    audio.save()


def test_tracks_a_user_tagged_keep_their_tags_and_the_demo_stays_ready(ctx):
    music = build_demo(ctx, **TINY).music_dir
    tagged = tracks_by_format(music)
    assert set(tagged) == {".flac", ".ogg", ".mp3"}
    before = {path: path.stat().st_size for path in tagged.values()}
    for path in tagged.values():
        tag(path, COMMENT)
    edited = {path: path.read_bytes() for path in tagged.values()}
    assert all(len(edited[p]) > before[p] + 20_000 for p in tagged.values())

    assert demo_status(ctx).state == "ready", "a tagged file is no damage"
    again = build_demo(ctx, **TINY)
    assert again.reused and again.notes == []
    assert {p: p.read_bytes() for p in tagged.values()} == edited, "the user's tags stay"


def test_a_repair_keeps_the_size_the_demo_wrote_for_a_tagged_track(ctx):
    music = build_demo(ctx, until="generate", **TINY).music_dir
    flac = tracks_by_format(music)[".flac"]
    tag(flac, COMMENT)
    other = next(p for p in tracks_by_format(music).values() if p != flac)
    other.unlink()  # a repair, which records the sizes again
    again = build_demo(ctx, until="generate", **TINY)
    assert again.stages["generate"]["rendered"] == 1 and other.is_file()
    tag(flac, None)  # the comment taken out again: the file shrinks, still whole
    edited = flac.read_bytes()

    after = build_demo(ctx, until="generate", **TINY)
    assert after.notes == [] and "generate" not in after.stages, "nothing to repair"
    assert flac.read_bytes() == edited, "a whole file the user edited is not rendered again"
