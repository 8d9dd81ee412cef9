"""A neighbour's "why" when it shares two playlists of one name with the query (a player's
"Favorites" and the file exported from it, two folders' "Road trip"): the line read "in Road
trip, Road trip", as if it repeated itself; it says how many playlists have that name. The
JSON keeps every playlist's name."""

from __future__ import annotations

import json

from search_helpers import add_playlist, clustered_vectors, run_cli


def test_two_playlists_of_one_name_are_said_once(capsys, ctx, library):
    library.add(8)
    library.embed(clustered_vectors(8), library.ids)
    pair = [library.ids[0], library.ids[4]]  # one cluster: neighbours in sound
    add_playlist(library.conn, "/p/a/Road trip.m3u", "Road trip", pair)
    add_playlist(library.conn, "/p/b/Road trip.m3u", "Road trip", pair)
    add_playlist(library.conn, "/p/Mix.m3u", "Mix", pair)
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio",
                           "--json")
    assert rc == 0, err
    row = next(r for r in json.loads(out)["audio"] if r["track_id"] == library.ids[4])
    assert sorted(row["why"]["playlists"]) == ["Mix", "Road trip", "Road trip"]
    assert row["why"]["text"].startswith("in ")
    shown = row["why"]["text"].split(" · ")[0]
    assert "Road trip, Road trip" not in shown
    assert sorted(shown[3:].split(", ")) == ["2 playlists named Road trip", "Mix"]
