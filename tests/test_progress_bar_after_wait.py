"""The command line's progress bar: a wait for a lock is not counted as work."""

from __future__ import annotations

from musicsage.commands.output import tqdm_progress
from musicsage.progress import Progress


def test_the_bar_starts_its_clock_when_the_work_starts_not_at_the_wait(monkeypatch):
    """``embed`` that waited 40 s for another showed "7/36 [00:44<03:04, 6.37s/it]" for a
    6-second job: the bar was made on the "waiting…" report and kept that start time."""
    import tqdm.std

    now = [1000.0]
    monkeypatch.setattr(tqdm.std, "time", lambda: now[0])  # each bar's clock
    progress = tqdm_progress()
    try:
        progress(Progress("embed", 0, None, "waiting for another embed (process 42)…"))
        now[0] += 40.0  # the wait
        progress(Progress("embed", 0, 36))
        now[0] += 1.0
        progress(Progress("embed", 6, 36))
        bars = next(c.cell_contents for c in progress.__closure__  # the bars, by stage
                    if isinstance(c.cell_contents, dict))
        shown = bars["embed"].format_dict
        assert shown["elapsed"] == 1.0 and shown["total"] == 36 and shown["n"] == 6
    finally:
        progress.close()
