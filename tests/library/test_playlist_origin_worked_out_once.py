"""``playlists`` works out where each playlist comes from once: its summary took the ``--json``
place (path, source, source path) and then worked the same origin out again for the source
and the player, twice the work for every playlist of a big library's list."""

from __future__ import annotations

from music_support import make_music

from musicsage.usecases.library import scan_library


def test_each_playlist_s_origin_is_worked_out_once(ctx, tmp_path, monkeypatch):
    import musicsage.search.playlist_query as playlist_query
    from musicsage.usecases.playlists import playlist_summaries

    music, lists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.3)
    scan_library(ctx, [str(music)], [str(lists)])
    told: list[str] = []
    origin = playlist_query.origin
    monkeypatch.setattr(playlist_query, "origin", lambda stored: told.append(stored) or
                        origin(stored))

    summaries = playlist_summaries(ctx)
    assert summaries and all(s.source == "file" and s.path == s.source_path for s in summaries)
    assert sorted(told) == sorted(s.path for s in summaries), "once a playlist"
