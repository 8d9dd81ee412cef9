"""The window says which files at the demo's names a rebuild with other settings moved aside
(``NAME.yours``) when Cancel pauses it while it renders: the line came only with the end of
the music's stage, so the files were moved without a word."""

from __future__ import annotations

import json
from pathlib import Path

from musicsage.context import AppContext
from musicsage.demo.library import MANIFEST, PLAYLIST_DIR
from musicsage.progress import CancelToken
from musicsage.usecases import demo as demo_build

SMALL = dict(seconds=1.0, workers=1)
ASIDE_WORDS = "was not as the demo wrote it (yours?): kept as "


def _edit_a_playlist(music: Path) -> Path:
    """The user's edit of one of the demo's playlists; its path."""
    names = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    playlist = music / next(f for f in names if f.startswith(PLAYLIST_DIR + "/"))
    playlist.write_text("#EXTM3U\n# my own list\n", encoding="utf-8")
    return playlist


def _stopping_after_two_tracks():
    """(progress, cancel) for a render that is stopped once two tracks are written."""
    token = CancelToken()

    def progress(p) -> None:
        if p.done is not None and p.done >= 2:
            token.cancel()

    return progress, token


def test_the_window_says_it_when_cancel_pauses_the_build(library, make_app, tmp_path,
                                                          monkeypatch):
    demo = AppContext.create(tmp_path / "demo")
    demo_build.build_demo(demo, n_tracks=8, until="generate", **SMALL)
    playlist = _edit_a_playlist(demo_build.demo_dir(demo))
    real = demo_build._STAGES["generate"]

    def stopped_render(build, _progress, _cancel):
        progress, token = _stopping_after_two_tracks()
        return real(build, progress, token)

    monkeypatch.setitem(demo_build._STAGES, "generate", stopped_render)
    app, runner = make_app(library, demo_ctx=lambda: demo,
                           demo_options=dict(n_tracks=8, seed=1, **SMALL))
    app.demo.open()
    runner.drain()
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert [w for w in warnings if ASIDE_WORDS + f"{PLAYLIST_DIR}/{playlist.name}.yours" in w]
    assert app.notifications[-1][1].startswith("Demo build paused")


def test_the_window_says_it_after_a_failures_line(library, make_app, tmp_path, monkeypatch):
    """After the error, not before: an error takes the status bar at once, and the warning
    before it was never seen; after it, the warning waits while the error is read."""
    from musicsage.errors import MusicsageError

    demo = AppContext.create(tmp_path / "demo")
    demo_build.build_demo(demo, n_tracks=8, until="generate", **SMALL)
    playlist = _edit_a_playlist(demo_build.demo_dir(demo))
    real = demo_build._STAGES["generate"]

    def full_disk(p) -> None:
        if p.done is not None and p.done >= 2:
            raise MusicsageError("the disk is full: make room on it")

    monkeypatch.setitem(demo_build._STAGES, "generate",
                        lambda build, _progress, cancel: real(build, full_disk, cancel))
    app, runner = make_app(library, demo_ctx=lambda: demo,
                           demo_options=dict(n_tracks=8, seed=1, **SMALL))
    app.demo.open()
    runner.drain()
    (level, text), = app.notifications[-1:]
    assert level == "warning" and ASIDE_WORDS + f"{PLAYLIST_DIR}/{playlist.name}.yours" in text
    assert app.notifications[-2][0] == "error" and "disk is full" in app.notifications[-2][1]
