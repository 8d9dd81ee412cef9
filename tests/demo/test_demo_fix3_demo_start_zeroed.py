"""A demo MP3 whose start (its ID3 tag) is zeroed or written over is damaged: it went to the
scan's probe, which skips garbage to the next MP3 frame and called the file whole, so the
demo stayed "ready" with the track's artist, album and title lost. A start that is no audio
format at all is garbage outright; only a start of another real format (a track re-encoded
under its name: test_demo_fix_demo_garbage_of_any_size) is left to the probe."""

from __future__ import annotations

from musicsage.library.tags import probe
from musicsage.usecases.demo import build_demo, demo_status
from test_demo_file_written_over import TINY, one_track_per_format


def test_an_mp3_whose_tag_is_zeroed_is_rendered_again_with_its_tags(ctx):
    built = build_demo(ctx, **TINY)
    mp3 = next(t for t in one_track_per_format(built.music_dir) if t.suffix == ".mp3")
    whole, tags = mp3.read_bytes(), probe(str(mp3)).tags
    assert tags, "the demo's MP3 is tagged"
    mp3.write_bytes(bytes(512) + whole[512:])  # the first 512 bytes zeroed, the same size

    assert demo_status(ctx).state == "partial", "a track that lost its tags is not ready"
    again = build_demo(ctx, **TINY)
    assert not again.reused and again.stages["generate"]["rendered"] == 1
    assert probe(str(mp3)).tags == tags, "rendered again, its tags back"
    assert demo_status(ctx).state == "ready"
