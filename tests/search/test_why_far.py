"""A neighbour with nothing else to say for it: "close" only when its score says so."""

from __future__ import annotations

from search_helpers import clustered_vectors

from musicsage.search.why import CLOSE_SCORE, _text
from musicsage.usecases.search import similar_tracks

NOTHING = {"playlists": [], "same_album": False, "same_artist": False, "same_genre": False,
           "ranks": {"graph": None, "audio": None}, "tags": None}


def test_a_far_neighbour_is_not_called_close(ctx, library):
    library.add(20)
    library.embed(clustered_vectors(20, clusters=4))
    rows = similar_tracks(ctx, library.ids[0], k=19, space="audio").audio
    plain = [r for r in rows if " · " not in r["why"]["text"] and "same" not in r["why"]["text"]]
    near = [r for r in plain if round(r["score"], 2) >= CLOSE_SCORE]  # as shown: 0.0996
    far = [r for r in plain if round(r["score"], 2) < CLOSE_SCORE]  # reads 0.10, close
    assert near and far
    assert all(r["why"]["text"] == "close in sound" for r in near)
    for r in far:
        assert r["why"]["text"] == (f"not close in sound (score {r['score']:.2f}): listed for "
                                    "want of nearer tracks")


def test_the_graph_list_is_not_said_to_be_close_in_sound():
    assert _text(NOTHING, 1, "graph", 0.8) == "close by the graph model"
    far = _text(NOTHING, 1, "graph", -0.73)
    assert far.startswith("not close by the graph model (score -0.73)")
    assert _text({**NOTHING, "same_artist": True}, 1, "audio", -0.9) == (
        "not close in sound (score -0.90) · same artist")
