"""A rebuild of the demo with other settings that is stopped while it renders (Ctrl-C,
SIGTERM, the window's Cancel, a failure) says which files at the demo's names it moved aside
(``NAME.yours``) — on the command line before the stop's line, in the window before the
paused line — and so does the build that resumes it: the line came only with the end of the
music's stage, so those files were moved without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from musicsage.cli import main
from musicsage.context import AppContext
from musicsage.demo.library import MANIFEST, PLAYLIST_DIR, generate_demo
from musicsage.errors import Cancelled
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


def test_a_stopped_rebuild_and_its_resumed_build_say_the_file_moved_aside(tmp_path):
    data = AppContext.create(tmp_path / "lib")
    music = tmp_path / "lib" / demo_build.DEMO_MUSIC_SUBDIR
    generate_demo(music, n_tracks=8, seed=0, **SMALL)
    playlist = _edit_a_playlist(music)
    progress, token = _stopping_after_two_tracks()
    with pytest.raises(Cancelled):
        generate_demo(music, n_tracks=8, seed=1, progress=progress, cancel=token, **SMALL)
    kept = playlist.with_name(playlist.name + ".yours")
    assert kept.read_text(encoding="utf-8") == "#EXTM3U\n# my own list\n"

    (note,) = demo_build.moved_aside_notes(data)
    assert ASIDE_WORDS + f"{PLAYLIST_DIR}/{kept.name}" in note and str(music) in note

    resumed = generate_demo(music, n_tracks=8, seed=1, **SMALL)
    assert resumed.kept == [kept], "the resumed build says it too"
    assert demo_build.moved_aside_notes(data) == [], "said once the music is finished"
    assert "aside" not in json.loads((music / MANIFEST).read_text(encoding="utf-8"))


def test_the_command_line_says_it_before_the_stop(tmp_path, monkeypatch, capsys):
    lib = tmp_path / "lib"
    music = lib / demo_build.DEMO_MUSIC_SUBDIR
    assert main(["--data-dir", str(lib), "demo", "--tracks", "8", "--seconds", "1",
                 "--until", "generate"]) == 0
    playlist = _edit_a_playlist(music)
    real = demo_build._STAGES["generate"]

    def stopped_render(build, _progress, _cancel):
        progress, token = _stopping_after_two_tracks()
        return real(build, progress, token)

    monkeypatch.setitem(demo_build._STAGES, "generate", stopped_render)
    capsys.readouterr()
    assert main(["--data-dir", str(lib), "demo", "--seed", "1", "--until", "generate"]) != 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and ASIDE_WORDS + f"{PLAYLIST_DIR}/{playlist.name}.yours" in notes[0]
    assert err.index(notes[0]) < err.index("musicsage demo:"), "before the stop's line"
