"""The window's card draws the demo build's progress: a count standing at its end (or at
nothing) while the stage goes on is drawn busy, not as a bar frozen at 100 % (or 0 %)."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import busy_between_counts
from musicsage.progress import Progress


def test_no_bar_of_the_build_stands_full_or_empty(library, make_app, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    small = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="generate", workers=1)
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=small)
    shown: list[Progress] = []
    app.demo.progress.connect(shown.append)
    app.demo.open()
    runner.drain()
    assert app.notifications[-1][1].startswith("Demo library ready")
    assert shown and {p.stage for p in shown} == {"generate"}
    standing = [(p.stage, p.done, p.total) for p in shown
                if p.total is not None and not 0 < p.done < p.total]
    assert standing == [], "a full or empty bar that stays while the stage goes on"
    assert shown[-1].message.startswith("Composing and rendering music (1/6)")


def test_a_count_at_its_end_is_drawn_busy_and_keeps_its_words():
    neighbours = Progress("audio_map", 240, 240, "Drawing the map (4/6)", {"demo_index": 3})
    busy = busy_between_counts(neighbours)
    assert busy.total is None and busy.message == neighbours.message
    assert busy.extra == neighbours.extra
    rendering = Progress("generate", 12, 241, "Composing and rendering music (1/6): a.flac")
    assert busy_between_counts(rendering) is rendering
