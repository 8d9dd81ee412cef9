"""With no sound device, the line saying why nothing plays is said once a session for clicks
(and again for each Play press), and it stays on the status line while the user clicks other
tracks. It named the first track clicked ("Cannot play 'Song 1': no audio output device
found …") while the user double-clicked Song 2, Song 3: a track they had not just asked for,
as if that one file were at fault. It names no track now — no track can play — so it is true
for every later click, and it is said no more often than before."""

from __future__ import annotations

NO_SOUND = ("Cannot play tracks: no audio output device found (connect one, then restart "
            "musicsage)")


def _soundless(make_app, library):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    now = [100.0]
    app.selection.clock = lambda: now[0]
    app.selection.can_play = lambda: False
    app.selection.cannot_play_reason = lambda: ("playback disabled: no audio output device "
                                                "(Error querying device -1)")
    return app, now


def _refusals(app) -> list[str]:
    return [text for _level, text in app.notifications if text.startswith("Cannot play")]


def test_the_line_left_standing_names_no_track_the_user_did_not_ask_for(library, make_app):
    app, now = _soundless(make_app, library)
    tracks = app.library.snapshot.tracks[:3]
    for track in tracks:  # double-clicks on three tracks, seconds apart
        app.selection.play_track(track.id)
        now[0] += 5.0
    assert _refusals(app) == [NO_SOUND], "said once, true of every track clicked"
    assert app.notifications[-1] == ("warning", NO_SOUND)
    assert not any(t.display_title in NO_SOUND for t in tracks)


def test_a_play_press_says_it_again_in_the_same_words(library, make_app):
    """Play (or Space) pressed says it again each time (not within a second): the line then
    standing is as true for the tracks clicked after it."""
    app, now = _soundless(make_app, library)
    first, second = app.library.snapshot.tracks[:2]
    app.selection.play_track(first.id, asked=True)
    now[0] += 0.3
    app.selection.play_track(first.id, asked=True)  # the same press asking twice
    assert _refusals(app) == [NO_SOUND]
    now[0] += 2.0
    app.selection.play_track(second.id)  # a click: silent, the line stands
    app.selection.play_track(second.id, asked=True)  # Play pressed for it: told again
    assert _refusals(app) == [NO_SOUND, NO_SOUND]


def test_another_reason_is_said_without_a_track_too(library, make_app):
    app, _now = _soundless(make_app, library)
    app.selection.cannot_play_reason = lambda: "playback disabled: sounddevice is not installed"
    app.selection.play_track(app.library.snapshot.tracks[0].id)
    assert _refusals(app) == ["Cannot play tracks: sounddevice is not installed"]
