"""A track named after a file such as ``odd\\nname\\t$(x)*.wav`` (untagged: the file's name is
its title), a tag holding a line break, a playlist whose name has a tab: the window's lines
show them on one line, their control characters written as the command line writes them
(``\\x0a``), while what is searched, played and saved keeps the real names. The neighbours'
heading, the track's Title and the map's label broke across lines."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.controllers.playlist_tracks import playlist_tracks
from musicsage.controllers.selection import SelectionController
from musicsage.controllers.tasks import Event
from musicsage.library.browse import PlaylistInfo, TrackInfo
from musicsage.usecases.snapshot import LibrarySnapshot

ODD = "/music/odd\nname\t$(x)*.wav"
SHOWN_TITLE = "odd\\x0aname\\x09$(x)*.wav"


def _track(tid: int, path: str, **tags) -> TrackInfo:
    fields = dict(title=None, artist=None, album=None, albumartist=None, genre=None, year=None,
                  track_number=None, duration=5.0, format="wav", status="ok",
                  needs_analysis=False)
    return TrackInfo(id=tid, path=path, **{**fields, **tags})


def _snapshot() -> LibrarySnapshot:
    tracks = [_track(1, ODD),
              _track(2, "/music/b.wav", title="Line1\nLine2\u2028x", artist="Art\tist\r")]
    playlists = [PlaylistInfo(7, "/music/road\ntrip.m3u", "Road\ttrip", "m3u", 2, 2, 0)]
    return LibrarySnapshot(stats=None, tracks=tracks, playlists=playlists,
                           memberships=[(7, 1), (7, 2)], audio_model=None, graph_model=None)


def _one_line(text: str) -> bool:
    return not any(c in text for c in "\n\r\t\u2028\u2029")


def test_the_snapshots_labels_and_playlist_names_are_one_line_and_the_real_names_kept():
    snap = _snapshot()
    assert snap.label(1) == SHOWN_TITLE  # the map's label and hover, the lists, the heading
    assert snap.label(2) == "Line1\\x0aLine2\\u2028x — Art\\x09ist\\x0d"
    p = snap.playlists[0]
    assert snap.shown_name(p) == "Road\\x09trip"
    assert snap.playlist_name(p) == "Road\ttrip"  # a queue saved from it keeps the real name
    assert snap.by_id[1].display_title == "odd\nname\t$(x)*.wav"  # searched as written


def test_the_playlist_tab_shows_its_tracks_and_its_name_on_one_line():
    view = playlist_tracks(_snapshot(), 7)
    assert view.name == "Road\\x09trip" and _one_line(view.heading.split("\n")[0])
    assert _one_line(view.path)
    assert [r.title for r in view.rows] == [SHOWN_TITLE, "Line1\\x0aLine2\\u2028x"]
    assert all(_one_line(r.title + r.artist + r.path) for r in view.rows)


def test_the_player_bar_is_told_a_one_line_title_and_the_real_file_to_open():
    snap = _snapshot()
    library = SimpleNamespace(snapshot=snap, audio_changed=Event())
    selection = SelectionController(SimpleNamespace(library=library, notify=print))
    played = []
    selection.play.connect(lambda *args: played.append(args))
    selection.play_track(2)
    selection.play_track(1)
    (tid2, path2, title2, artist2, s2), (_tid1, path1, title1, _artist1, _s1) = played
    assert (title2, artist2) == ("Line1\\x0aLine2\\u2028x", "Art\\x09ist\\x0d")
    assert title1 == SHOWN_TITLE
    assert (path2, path1) == ("/music/b.wav", ODD)  # the file opened is the real one
    assert s2 == 5.0, "the stored length: the seek bar's end for a file whose header states none"
