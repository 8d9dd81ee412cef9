"""The pair objective's parts that mirror the evaluation: known co-members are no negatives,
sampling-bias correction of the logits, context dropout only while training."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from musicsage.errors import MusicsageError
from musicsage.graph.build import build_context_graph
from musicsage.graph.layers import InputProjection
from musicsage.graph.model import EncoderConfig
from musicsage.graph.objectives import PairEmbeddings, infonce_loss
from musicsage.graph.sampler import FoldSampler, WalkParams
from musicsage.graph.synthetic import hidden_factor_data


def test_known_marks_exactly_the_candidates_sharing_a_fold_playlist_with_the_head():
    data = hidden_factor_data(n_tracks=120, n_playlists=12)
    m = data.memberships
    graph = build_context_graph(data, m)
    fs = FoldSampler(graph, m, data.n_playlists, folds=4, layers=0,
                     walk=WalkParams(num_walks=5, num_neighbors=4), refresh_every=1,
                     playlist_contexts=True, rng=np.random.default_rng(0), negative_pool="all")
    for _ in range(4):
        fold = fs.folds[fs._next]
        batch = fs.sample(48, negatives=16, mask_known=True)
        aside = {tuple(x) for x in fold.aside.tolist()}
        rest = [tuple(x) for x in m.tolist() if tuple(x) not in aside]
        lists: dict[int, set] = {}
        for t, p in rest:
            lists.setdefault(t, set()).add(p)
        candidates = np.concatenate([batch.tails, batch.heads, batch.negatives])
        assert batch.known.shape == (len(batch.heads), len(candidates))
        for i, h in enumerate(batch.heads):
            for j, c in enumerate(candidates):
                shares = bool(lists.get(h, set()) & lists.get(c, set()))
                assert batch.known[i, j] == shares
        # the positive's own membership is hidden, so that playlist never marks it known
        for i, (t, p) in enumerate(zip(batch.tails, batch.playlists)):
            assert p not in lists.get(t, set())
    assert fs.sample(48).known is None  # off unless asked


def test_known_candidates_are_masked_but_the_positive_stays():
    e = torch.eye(3)
    known = np.zeros((3, 9), bool)
    known[0, 0] = True  # the positive (tail 0) shares another playlist with head 0: kept
    known[0, 1] = True  # tail 1 is a known co-member of head 0: no negative
    known[1, 5] = True  # head 2 is a known co-member of head 1
    known[2, 6] = True  # extra negative 0 for head 2
    b = PairEmbeddings.from_ids(e, e, [0, 1, 2], [3, 4, 5], [0, 1, 2], negatives=e,
                                negative_ids=[6, 7, 8], negative_member=np.zeros((3, 3), bool),
                                known=known)
    assert not b.not_negative_tails[0, 0] and b.not_negative_tails[0, 1]
    assert b.not_negative_heads[1, 2] and b.not_negative_extra[2, 0]
    assert not b.not_negative_tails[1, 0] and not b.not_negative_extra[0, 0]


def test_popularity_correction_subtracts_log_q_from_every_candidate_logit():
    torch.manual_seed(0)
    heads = F.normalize(torch.randn(2, 4), dim=1)
    tails = F.normalize(torch.randn(2, 4), dim=1)
    no = torch.zeros(2, 2, dtype=torch.bool)
    tau = 0.1
    log_q = torch.log(torch.tensor([0.5, 0.1, 0.3, 0.1]))  # tails ‖ heads
    b = PairEmbeddings(heads, tails, no, no | torch.eye(2, dtype=torch.bool), log_q=log_q)
    got = infonce_loss(b, tau, symmetric=False)
    # by hand: row i over (t0, t1, h_other), each logit s/τ − log q
    want = 0.0
    for i in range(2):
        cands = [(tails[0], log_q[0]), (tails[1], log_q[1]), (heads[1 - i], log_q[3 - i])]
        z = torch.stack([heads[i] @ c / tau - lq for c, lq in cands])
        want += -(z[i] - torch.logsumexp(z, 0))
    assert got.item() == pytest.approx(want.item() / 2, rel=1e-5)
    # a constant log q changes nothing (softmax is shift-invariant)
    flat = PairEmbeddings(heads, tails, no, no | torch.eye(2, dtype=torch.bool),
                          log_q=torch.full((4,), -3.0))
    plain = PairEmbeddings(heads, tails, no, no | torch.eye(2, dtype=torch.bool))
    assert infonce_loss(flat, tau).item() == pytest.approx(infonce_loss(plain, tau).item(),
                                                           rel=1e-5)


def test_context_dropout_acts_only_while_training():
    torch.manual_seed(0)
    proj = InputProjection(4, 4, 10, hidden=8, context_dropout=0.5)
    with torch.no_grad():
        proj.contexts.weight.normal_()
    x = torch.randn(6, 4)
    flat = torch.arange(12) % 10
    offsets = torch.arange(0, 12, 2)
    weights = torch.full((12,), 0.5)
    bags = (flat, offsets, weights)
    proj.eval()
    reference = InputProjection(4, 4, 10, hidden=8)
    reference.load_state_dict(proj.state_dict())
    reference.eval()
    assert torch.equal(proj(x, bags), reference(x, bags))
    proj.train()
    reference.train()
    proj.mlp[2].p = reference.mlp[2].p = 0.0  # isolate the context dropout
    assert not torch.allclose(proj(x, bags), reference(x, bags))
    with pytest.raises(MusicsageError):
        EncoderConfig(context_dropout=1.0)


def test_without_head_negatives_a_head_is_ranked_against_tails_only():
    torch.manual_seed(1)
    heads = F.normalize(torch.randn(3, 4), dim=1)
    tails = F.normalize(torch.randn(3, 4), dim=1)
    no = torch.zeros(3, 3, dtype=torch.bool)
    b = PairEmbeddings(heads, tails, no, torch.eye(3, dtype=torch.bool))
    tau = 0.2
    got = infonce_loss(b, tau, symmetric=False, head_negatives=False)
    want = F.cross_entropy(heads @ tails.T / tau, torch.arange(3))
    assert got.item() == pytest.approx(want.item(), rel=1e-5)
    # with them (the default), the other heads are candidates and the loss is larger
    assert infonce_loss(b, tau, symmetric=False).item() > got.item() + 1e-4
