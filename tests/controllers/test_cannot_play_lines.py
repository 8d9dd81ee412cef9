"""The status line's refusals to play read as its other lines do: a capital first, the title
in quotes as the player's own refusal has it (``Cannot play 'X': …``), and a missing file's
path as the window shows paths — a name that is not UTF-8 was said with the library's private
stand-in characters (U+10FFxx), which draw as boxes and name no file."""

from __future__ import annotations

from musicsage.library.db import connect


def test_a_missing_file_is_said_with_a_capital_and_its_shown_path(library, make_app):
    app, runner = make_app(library)
    track = 3
    with connect(library) as conn:
        path = conn.execute("SELECT path FROM tracks WHERE id = ?", (track,)).fetchone()[0]
        odd = path.removesuffix(".flac") + "\U0010ffff.flac"  # a byte 0xff, as stored
        conn.execute("UPDATE tracks SET status = 'missing', path = ? WHERE id = ?", (odd, track))
    app.library.reload()
    runner.drain()
    info = app.library.snapshot.by_id[track]
    app.selection.play_track(track)
    shown = odd.replace("\U0010ffff", "\ufffd")
    assert app.notifications[-1] == (
        "warning", f"Cannot play '{info.display_title}': the file is missing ({shown})")
