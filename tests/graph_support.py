"""Helpers for the tests of what training joins to the model's vectors (graph/two_hop.py,
graph/comember.py)."""

from __future__ import annotations

from musicsage.graph.evaluate import evaluate


def hr10_with_and_without(result, data, split, attribute: str) -> tuple[float, float]:
    """HR@10 on ``split``'s held-out pairs of ``result``'s vectors as served, and with the
    part named ``attribute`` ('two_hop', 'comember') taken out for a moment."""
    served = result.embed(data)
    part = getattr(result, attribute)
    setattr(result, attribute, None)
    try:
        alone = result.embed(data)
    finally:
        setattr(result, attribute, part)
    return tuple(evaluate(e, data.features, split, data.n_tracks,
                          data.n_playlists)["graph"]["hr@10"] for e in (served, alone))
