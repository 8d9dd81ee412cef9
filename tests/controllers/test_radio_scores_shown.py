"""``radio`` lists each track's score as ``similar`` does — three decimals, a negative one
with its sign, in one column — where it listed none."""

from __future__ import annotations

from musicsage.search.report import format_radio
from musicsage.search.types import RadioResult


def test_radio_lines_show_every_score_negative_included():
    seed = {"track_id": 1, "title": "Seed", "artist": "A", "path": "/m/seed.mp3"}
    rows = [{"track_id": 2, "title": "Near", "artist": "B", "path": "/m/near.mp3",
             "position": 1, "score": 0.9127, "picked_from": 1},
            {"track_id": 3, "title": "Far", "artist": "C", "path": "/m/far.mp3",
             "position": 2, "score": -0.0412, "picked_from": 2}]
    text = format_radio(RadioResult(seed=seed, tracks=rows, mode="drift", space="audio",
                                    model="m"))
    lines = text.splitlines()
    assert lines[1] == "  1   0.913  B - Near  (#2)"
    assert lines[2] == "  2  -0.041  C - Far  (#3)"
