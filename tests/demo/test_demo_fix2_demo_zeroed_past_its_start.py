"""A demo track of the size written whose start is intact but the rest zeroed (a preallocated
copy that got only its first blocks, a disk that lost the rest) is damaged: only its first 4
bytes were looked at, so the demo stayed "ready" and was reused, unplayable, for good. Its
zeroed end is read too: a file that begins as its own format and ends in 4 KiB of zeros is
damaged without the probe, which took an Ogg's last intact page for its end (a 5-s Ogg with
its second half zeroed stayed "ready"). Such a file is rendered again."""

from __future__ import annotations

import pytest
import soundfile as sf

from musicsage.usecases.demo import build_demo, demo_status
from test_demo_file_written_over import TINY, one_track_per_format

FIVE_SECONDS = {**TINY, "seconds": 5.0}


@pytest.mark.parametrize("filler", [b"\0", b"\xff"], ids=["zeros", "erased flash"])
def test_a_track_zeroed_after_its_first_blocks_is_rendered_again(ctx, filler):
    built = build_demo(ctx, **FIVE_SECONDS)
    tracks = one_track_per_format(built.music_dir)
    frames = [sf.info(track).frames for track in tracks]
    for track in tracks:
        data = track.read_bytes()
        half = len(data) // 2
        track.write_bytes(data[:half] + filler * (len(data) - half))  # the same size

    assert demo_status(ctx).state == "partial", "a demo with unreadable files is not ready"
    again = build_demo(ctx, **FIVE_SECONDS)
    assert not again.reused and again.stages["generate"]["rendered"] == 3
    assert [sf.info(track).frames for track in tracks] == frames
    assert demo_status(ctx).state == "ready"
