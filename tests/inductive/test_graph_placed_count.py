"""How many tracks the saved graph model placed: every run computes again the vectors of all
the tracks it placed before (on the library's graph as it is now), so its ``embedded`` counts
those too. ``scan --watch`` said "2 placed by the graph model" of a batch that added one track,
one added by an earlier batch placed again; it counts ``new_vectors``: the tracks that had no
vector of their current audio before the run."""

from __future__ import annotations

from new_music_support import new_music

from musicsage.library.scan import ScanReport
from musicsage.library.watch_apply import WatchReport
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library


def test_a_later_batch_counts_only_the_track_it_placed(trained, add_music, trained_template,
                                                       tmp_path):
    ctx = trained
    first = add_music(ctx, n=2)
    placed = embed_library(ctx, "spectral").graph  # the first batch
    assert placed.embedded == len(first)
    music, _ = new_music(tmp_path / "more", trained_template[1], n=len(first) + 1)
    files = sorted((p for p in music.rglob("*.flac")), key=lambda p: p.name)  # "72 …", "73 …"
    for copy in files[:-1]:
        copy.unlink()  # the first batch's tracks again: one new track is left
    scan = scan_library(ctx, [str(music)])
    assert scan.added == 1

    report = embed_library(ctx, "spectral")

    line = WatchReport(scan=ScanReport(added=1), embed=report).summary()
    assert line.endswith("1 embedded, 1 placed by the graph model")
    assert (report.graph.embedded, report.graph.new_vectors) == (len(first) + 1, 1)
    assert embed_library(ctx, "spectral").graph.new_vectors == 0  # nothing new: not redone
