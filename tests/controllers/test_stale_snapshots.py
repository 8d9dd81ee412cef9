"""Snapshots that arrive after the user chose something (no window, InlineRunner).

A snapshot requested before a choice may have been read before what was chosen existed (the
search box reads the database itself); it must leave the choice alone. One requested after
the choice is the library as it is: what it lacks is gone, and the status line says so.
``without`` stands for the library read at some moment: the real snapshot, less some rows.
"""

from __future__ import annotations

import dataclasses


def _without(monkeypatch, *, tracks=(), playlists=()):
    """Make every snapshot from now on lack ``tracks`` and ``playlists`` (ids)."""
    from musicsage.controllers import library as library_controller
    from musicsage.usecases.snapshot import load_snapshot

    def read(*args, **kwargs):
        snap = load_snapshot(*args, **kwargs)
        return dataclasses.replace(
            snap, tracks=[t for t in snap.tracks if t.id not in tracks],
            playlists=[p for p in snap.playlists if p.id not in playlists])

    read.__dict__.update(load_snapshot.__dict__)
    monkeypatch.setattr(library_controller, "load_snapshot", read)


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_a_track_selected_after_a_reload_was_asked_for_stays_selected(library, make_app,
                                                                      monkeypatch, recorder):
    app, runner = _loaded(make_app, library)
    tid = max(app.library.snapshot.by_id)
    deselected = recorder(app.selection.deselected)
    _without(monkeypatch, tracks={tid})
    app.library.reload()  # a reload under way: its snapshot lacks the track (read before)
    app.selection.select(tid, play=False)
    runner.drain()
    assert tid not in app.library.snapshot.by_id
    assert app.selection.selected == tid and not deselected.calls
    assert not [t for _l, t in app.notifications if "no longer" in t]

    app.library.reload()  # asked for after the selection: the track is really gone
    runner.drain()
    assert app.selection.selected is None and len(deselected) == 1
    assert app.notifications[-1][1].endswith("is no longer in the library: nothing is selected")


def test_a_track_known_only_to_the_later_snapshot_gets_its_details(library, make_app,
                                                                   monkeypatch, recorder):
    app, runner = _loaded(make_app, library)
    tid = max(app.library.snapshot.by_id)
    _without(monkeypatch, tracks={tid})
    app.library.reload()
    runner.drain()
    changed, details = recorder(app.selection.changed), recorder(app.selection.details)
    app.selection.select(tid, play=False)  # found by the search: not in the snapshot yet
    assert changed.last[1] is None
    monkeypatch.undo()
    app.library.reload()
    runner.drain()
    assert app.selection.selected == tid
    assert details.calls == [(app.library.snapshot.by_id[tid],)]
    app.library.reload()
    runner.drain()
    assert len(details) == 1, "an unchanged track is not shown again on every reload"


def test_a_playlist_chosen_after_a_reload_was_asked_for_stays_chosen(library, make_app,
                                                                     monkeypatch, recorder):
    app, runner = _loaded(make_app, library)
    pid = app.library.snapshot.playlists[0].id
    cleared = recorder(app.suggestions.cleared)
    _without(monkeypatch, playlists={pid})
    app.library.reload()
    app.suggestions.show(pid)
    runner.drain()
    assert all(p.id != pid for p in app.library.snapshot.playlists)
    assert app.suggestions.playlist_id == pid and not cleared.calls

    app.library.reload()
    runner.drain()
    assert app.suggestions.playlist_id is None and len(cleared) == 1
    assert app.notifications[-1][1].endswith("is no longer in the library")


def test_a_map_region_loses_a_track_the_next_snapshot_lacks(library, make_app, monkeypatch):
    """A region's tracks all come from the snapshot on screen as it is drawn: any snapshot
    read after that one is the library as it is, even one asked for before the region (the
    reload a ``forget`` started): the track it lacks stayed, counted and queued."""
    app, runner = _loaded(make_app, library)
    gone = max(app.library.snapshot.by_id)
    _without(monkeypatch, tracks={gone})
    app.library.reload()  # under way as the region is drawn: its snapshot lacks the track
    region = app.map_tools.select_rect(-1e9, -1e9, 1e9, 1e9)
    assert len(region) == len(app.library.snapshot.by_id) and gone in region
    runner.drain()
    assert app.map_tools.region == [t for t in region if t != gone]
    assert app.notifications[-1] == (
        "info", f"1 of {len(region)} tracks in the region left out (1 not in the library)")


def test_a_map_region_all_of_whose_tracks_left_is_cleared_in_one_line(library, make_app,
                                                                       monkeypatch):
    app, runner = _loaded(make_app, library)
    region = app.map_tools.select_rect(-1e9, -1e9, 1e9, 1e9)
    _without(monkeypatch, tracks=set(region))  # its only folder forgotten
    app.library.reload()
    runner.drain()
    assert app.map_tools.region == []
    said = [n for n in app.notifications if "region" in n[1]]
    assert said == [("info", f"Map region cleared: its {len(region)} tracks left the library")]


def test_a_map_begun_before_the_library_emptied_is_not_drawn(library, make_app, monkeypatch,
                                                             recorder):
    """Map ▸ Recompute map read the library's vectors, then its only folder was forgotten:
    the map it ends with is of tracks no longer in the library, and is not drawn."""
    app, runner = _loaded(make_app, library)
    assert app.map.points is not None and len(app.map.points.track_ids) == 12
    _without(monkeypatch, tracks=set(app.library.snapshot.by_id))
    app.library.reload()  # the folder watch's, after the forget: the library it reads is empty
    app.map.refresh(relayout=True)  # its result arrives after that snapshot
    loaded, cleared = recorder(app.map.loaded), recorder(app.map.cleared)
    before = len(runner.ran)
    runner.drain()
    ran = runner.ran[before:]
    assert ran.index("library") < ran.index("map")
    assert app.library.snapshot.empty and app.map.points is None
    assert not loaded.calls and len(cleared) == 1
