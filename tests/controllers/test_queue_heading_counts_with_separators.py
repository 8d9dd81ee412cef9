"""The Queue of a long playlist writes its counts as the rest of the window does ("28,356
tracks" in the library's summary, "Long mix (8,000 tracks)" in the Playlist tab): it read
"Playlist: Long mix (1200 tracks)", and "Left out of 'Long mix': 1000 entries …". The real
library's tracks, copied in its snapshot under new ids to make the long playlist."""

from __future__ import annotations

import dataclasses

from musicsage.library.browse import PlaylistInfo


def test_a_long_playlist_queued_names_its_thousands_as_the_summary(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.selection.can_play = lambda: False
    snap = app.library.snapshot
    template = snap.tracks[0]
    tracks = [dataclasses.replace(template, id=10_000 + i) for i in range(1200)]
    long_mix = PlaylistInfo(id=99, path="/lists/Long mix.m3u8", name="Long mix", format="m3u",
                            entries=2200, resolved=1200, unresolved=1000)
    app.library.snapshot = dataclasses.replace(
        snap, tracks=[*snap.tracks, *tracks], playlists=[*snap.playlists, long_mix],
        memberships=[*snap.memberships, *((99, t.id) for t in tracks)])
    said = len(app.notifications)
    assert app.queue.play_playlist(99)
    assert app.queue.name == "Playlist: Long mix (1,200 tracks)"
    assert ("warning", "Left out of 'Long mix': 1,000 entries not in the library") in \
        app.notifications[said:], app.notifications[said:]
