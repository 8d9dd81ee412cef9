"""Retrain's tooltip and the lines that say there is no graph model said "use Analyse ▸
Compute embeddings, then Retrain" of playlists whose tracks without a vector no embed can
analyse (missing files, tracks imported without a file, failed analyses), and "press
Retrain" of a library whose only shared playlist holds one analysed track: both come from
the snapshot's ``training_reach`` now, as the command line's come from the database."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.controllers.training import retrain_blocked, train_advice
from musicsage.controllers.wording import RETRAIN_ADVICE
from musicsage.graph.reports import MIN_MEMBERSHIPS

COMPUTE = "Compute embeddings"


def _snap(memberships, usable: int, **reach) -> SimpleNamespace:
    stats = SimpleNamespace(embeddings={"m": usable}, graph_model=None)
    return SimpleNamespace(empty=False, memberships=memberships, playlists=[], stats=stats,
                           usable_memberships=usable, training_reach=reach)


def test_nothing_an_embed_can_analyse_is_not_sent_to_compute_embeddings():
    pairs = [(t % 2, t) for t in range(25)]
    for reach in ({"embeddable": True, "shared": True}, {}):  # as before: embed can help
        assert COMPUTE in retrain_blocked(_snap(pairs, 10, **reach))
    blocked = retrain_blocked(_snap(pairs, 10, embeddable=False, shared=True))
    assert blocked.startswith("Retrain needs more playlist memberships of tracks with audio")
    assert COMPUTE not in blocked and blocked.endswith("put more tracks in playlists")
    advice = train_advice(_snap(pairs, 0, embeddable=False, shared=False))
    assert COMPUTE not in advice and "an embed cannot analyse" in advice


def test_no_playlist_shared_by_two_analysed_tracks_is_not_told_to_retrain():
    pairs = [(t, t) for t in range(30)] + [(99, 0), (99, 30)]
    assert train_advice(_snap(pairs, 31, shared=True, embeddable=True)) == RETRAIN_ADVICE
    blocked = retrain_blocked(_snap(pairs, 31, shared=False, embeddable=True))
    assert "at least two tracks with audio embeddings" in blocked and COMPUTE in blocked
    assert "--objective" not in blocked  # the window's Retrain has no objective to choose
    advice = train_advice(_snap(pairs, MIN_MEMBERSHIPS, shared=False, embeddable=False))
    assert advice != RETRAIN_ADVICE and COMPUTE not in advice
