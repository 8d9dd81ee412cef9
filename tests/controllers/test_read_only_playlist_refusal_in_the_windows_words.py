"""The window's Add on a read-only playlist names the window's way on, not the command line's:
the library's line said "(Save… in the window, `--m3u FILE`)" to both, a flag the window's
user has no place to type."""

from __future__ import annotations

import os
from pathlib import Path


def test_the_window_names_its_save_button_and_no_command_line_flag(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    playlist = app.library.snapshot.playlists[0]
    path = Path(playlist.path)
    app.suggestions.show(playlist.id)
    runner.drain()
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        app.suggestions.add([app.suggestions.result.audio[0]["track_id"]])
        runner.drain()
    finally:
        os.chmod(path, 0o644)
    level, text = app.notifications[-1]
    assert level == "error"
    assert text.endswith("the file was not touched: make it writable (chmod u+w) and try again, "
                         "or save the suggestions as a playlist of their own with Save…"), text
    assert "--m3u" not in text and "\n" not in text
    assert path.read_bytes() == before
