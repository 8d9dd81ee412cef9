"""A demo track written over with garbage is found whatever its size and first bytes: garbage
of the SAME size (``dd conv=notrunc``, a preallocated copy that never got its data) was not
looked at, and any start of ``0xFF 0xE0``+ was taken for an MP3 frame whatever the file's
format — a file of 0xFF bytes (erased flash) or UTF-16 text (``FF FE``) stayed "ready" and
was reused, unplayable, for good. A real MP3 frame stays audio (a file stripped of its ID3
tag is the user's), and so does a track the user re-encoded to another format under the same
name: the scan reads it ("FLAC audio under the extension .ogg"), so it is not damaged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import soundfile as sf
from mutagen.id3 import ID3

from musicsage.demo.library import MANIFEST
from musicsage.demo.manifest import begins_as_garbage, unsound_files, written_sizes
from musicsage.usecases.demo import build_demo, demo_status
from test_demo_file_written_over import TINY, one_track_per_format


def test_garbage_of_the_same_size_or_a_sync_like_start_is_rendered_again(ctx):
    built = build_demo(ctx, **TINY)
    flac, mp3, ogg = sorted(one_track_per_format(built.music_dir), key=lambda p: p.suffix)
    frames = [sf.info(track).frames for track in (flac, ogg, mp3)]
    flac.write_bytes(bytes(flac.stat().st_size))  # zeros, the same size
    ogg.write_bytes(b"\xff" * ogg.stat().st_size)  # erased flash, the same size
    mp3.write_bytes(("log line\r\n" * 2000).encode("utf-16"))  # FF FE: UTF-16 text
    sizes = written_sizes(json.loads((built.music_dir / MANIFEST).read_text(encoding="utf-8")))
    for track in (flac, ogg, mp3):  # garbage the size written or larger: no probe was asked
        assert track.stat().st_size >= sizes[track.relative_to(built.music_dir).as_posix()]

    assert demo_status(ctx).state == "partial", "a demo with unreadable files is not ready"
    again = build_demo(ctx, **TINY)
    assert not again.reused and again.stages["generate"]["rendered"] == 3
    assert [sf.info(track).frames for track in (flac, ogg, mp3)] == frames
    assert len(again.notes) == 1 and "3 files" in again.notes[0] and "damaged" in again.notes[0]
    assert demo_status(ctx).state == "ready"


def test_an_mp3_frame_is_audio_and_a_flac_start_only_in_a_flac(ctx, tmp_path: Path):
    built = build_demo(ctx, **TINY)
    flac, mp3, _ogg = sorted(one_track_per_format(built.music_dir), key=lambda p: p.suffix)
    ID3(mp3).delete()  # "Remove tags": the file begins with its first frame
    assert not mp3.read_bytes().startswith(b"ID3")
    assert not begins_as_garbage(mp3) and not begins_as_garbage(flac)
    moved = tmp_path / "track.ogg"
    moved.write_bytes(flac.read_bytes())  # fLaC under an .ogg name: not what it says...
    assert begins_as_garbage(moved)
    layer_one = tmp_path / "track.mp3"
    layer_one.write_bytes(b"\xff\xfe\x41\x00" * 100)  # UTF-16 "A…": sync bits, no MP3 frame
    assert begins_as_garbage(layer_one)


def test_a_track_re_encoded_under_its_name_is_the_users_and_kept(ctx):
    built = build_demo(ctx, **TINY)
    flac, _mp3, ogg = sorted(one_track_per_format(built.music_dir), key=lambda p: p.suffix)
    # ...but one the user re-encoded (FLAC under the .ogg name, MP3 under the .flac name,
    # both longer) is audio the scan reads: the FLAC, larger than written, was rendered over
    for track, fmt in ((ogg, "FLAC"), (flac, "MP3")):
        data, rate = sf.read(str(track))
        converted = track.with_name("converted.tmp")
        sf.write(str(converted), np.concatenate([data, data]), rate, format=fmt)
        os.replace(converted, track)
    assert begins_as_garbage(ogg) and begins_as_garbage(flac), "not the start of their format"
    kept = {track: track.read_bytes() for track in (ogg, flac)}
    manifest = json.loads((built.music_dir / MANIFEST).read_text(encoding="utf-8"))
    written = written_sizes(manifest)[ogg.relative_to(built.music_dir).as_posix()]
    assert ogg.stat().st_size >= written, "no smaller file, which the probe read anyway"

    assert unsound_files(built.music_dir, manifest) == ([], [])
    assert demo_status(ctx).state == "ready"
    again = build_demo(ctx, **TINY)
    assert again.reused and not again.notes
    assert all(track.read_bytes() == data for track, data in kept.items()), "the user's files"
