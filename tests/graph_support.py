"""Helpers for the tests of what training joins to the model's vectors (graph/two_hop.py,
graph/comember.py): both parts are chosen the same way — a weight per library, picked on the
trainer's own validation split, 0 leaving the model's vectors alone — so both are checked by
the same assertions."""

from __future__ import annotations

from dataclasses import dataclass

from musicsage.graph.evaluate import evaluate
from musicsage.graph.train import train


@dataclass(frozen=True)
class JoinedPart:
    """Where a part joined after training shows on a ``TrainResult`` and in ``TrainConfig``."""

    attribute: str  #: the part itself ('two_hop', 'comember'); None when left out
    weight: str     #: the weight validation chose
    scores: str     #: every weight's validation score
    switch: str     #: the TrainConfig field that turns it off


TWO_HOP = JoinedPart("two_hop", "two_hop_gamma", "two_hop_scores", "two_hop")
COMEMBER = JoinedPart("comember", "comember_weight", "comember_scores", "comember")


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


def assert_validation_joins_it_and_held_out_pairs_agree(part: JoinedPart, result, data, split,
                                                        width: int) -> None:
    """The weight validation chose is above 0 and scored best there; the served vectors are
    ``width`` wide; and on ``split``'s held-out pairs — which that choice never saw — they rank
    clearly better than the model's vectors alone."""
    weight, scores = getattr(result, part.weight), getattr(result, part.scores)
    assert weight > 0 and scores[weight] > scores[0.0]
    assert result.embed(data).shape == (data.n_tracks, width)
    served, alone = hr10_with_and_without(result, data, split, part.attribute)
    assert served > alone + 0.05


def assert_switched_off_and_dgi_runs_have_none(part: JoinedPart, data, split, config) -> None:
    """Turned off, or under the self-supervised objective (whose vectors serve a linear
    probe), training joins nothing: the encoder's own vectors are served."""
    off = train(data, split.train_memberships, config=config.with_(**{part.switch: False}))
    assert getattr(off, part.attribute) is None and getattr(off, part.scores) == {}
    assert off.embed(data).shape == (data.n_tracks, config.encoder.dim)
    dgi = train(data, split.train_memberships, config=config.with_(objective="dgi",
                                                                   select="loss"))
    assert getattr(dgi, part.attribute) is None and getattr(dgi, part.scores) == {}
