"""While Open demo library reads the demo, what refuses music says the demo is being read, not
built: no build runs yet, and "being built … or cancel the build" sent the user to look for a
build's progress and its Cancel. It asks to wait until the demo is ready, not shown: on a first
open a build follows the read, and refuses the same drop until it ends."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.drops import add_dropped

SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="generate", workers=1)


def test_a_drop_during_the_read_says_the_demo_is_being_read(library, make_app, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    app.demo.open()  # the read is queued on its worker: under way
    assert app.demo.is_reading
    assert not add_dropped(app.library, [str(tmp_path)])
    level, text = app.notifications[-1]
    assert level == "warning" and text.startswith("The demo library is being read")
    assert "built" not in text and "cancel the read" in text
    assert "when it is ready" in text and "shown" not in text, "a build may follow the read"
    runner.drain()

