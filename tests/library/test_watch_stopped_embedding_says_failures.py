"""A watch stopped while it embedded said "embedding interrupted: 5 of 9 tracks embedded and
kept" where a 6th track had failed: the failure was not said, and `embed` (which says
"…, 1 failed") was the only way to learn of it."""

from __future__ import annotations

from musicsage.library.watch_apply import WatchReport
from musicsage.progress import Progress
from musicsage.usecases.watch import _EmbedSeen


def test_a_stopped_embedding_counts_the_tracks_that_failed():
    seen = _EmbedSeen(None, 9)
    seen(Progress("embed openl3", 3, 9, extra={"embedded": 3, "failed": 0}))
    seen(Progress("embed openl3", 6, 9, message="bad.mp3", extra={"embedded": 5, "failed": 1}))
    rep = WatchReport(paths=9, embed=seen, interrupted=True)
    assert rep.summary().endswith("embedding interrupted: 5 of 9 tracks embedded and kept, "
                                  "1 failed")
    assert rep.to_dict()["embed"] == {"embedded": 5, "failed": 1, "total": 9,
                                      "interrupted": True}


def test_a_stopped_embedding_with_no_failure_says_none():
    seen = _EmbedSeen(None, 2)
    seen(Progress("embed openl3", 1, 2, extra={"embedded": 1}))
    rep = WatchReport(paths=2, embed=seen, interrupted=True)
    assert rep.summary().endswith("embedding interrupted: 1 of 2 tracks embedded and kept")
