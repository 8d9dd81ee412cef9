"""The checks a run makes of its data before it trains (out of :mod:`musicsage.graph.jobs`,
which calls them): too few playlist memberships, a split that leaves too few to train or fit
on, fit memberships of which no two tracks share a playlist — cheap (the splits only), so
``eval`` makes them for every seed before the first trains.
"""

from __future__ import annotations

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.reports import MIN_MEMBERSHIPS, NEED_WAYS
from musicsage.graph.split import (HELD_OUT, UNPLAYLISTED, Split, TooFewLeftByTheHoldOut,
                                   protocol_split)
from musicsage.graph.train import MIN_MEMBERSHIPS as MIN_TRAINING_MEMBERSHIPS
from musicsage.graph.train import nothing_to_train_on, validation_split
from musicsage.text import counted


def checked_split(data: GraphData, config: TrainConfig, holdout: float | None
                  ) -> tuple[Split | None, np.ndarray]:
    """(the run's split, None without a hold-out; the memberships it trains on), refused in
    one line when too few are left to train or fit on, or no two tracks of those fitted on
    share a playlist: every check a run makes of its data before it trains, cheap (the splits
    only), so ``eval`` makes them for every seed first."""
    require_memberships(data)
    if holdout:
        split = protocol_split(data.memberships, data.n_tracks, fraction=holdout,
                               seed=config.seed)
        _require_training_memberships(data, split)
        train_memberships = split.train_memberships
    else:
        split, train_memberships = None, data.memberships
    fit = _require_fit_memberships(train_memberships, data.n_tracks, config)
    _require_a_pair(fit, data.n_tracks, config)
    return split, train_memberships


MORE_PLAYLISTS = "put more tracks in playlists"


def _memberships_found(data: GraphData) -> tuple[str, str]:
    """(the memberships counted from what the user sees — a library's playlists, a dataset's
    memberships.csv — down to those the model can use; what to do when they are too few:
    ``embed`` only where it can analyse some of the other tracks — not for tracks imported
    without vectors or whose files are gone, which it skips)."""
    usable, total = len(data.memberships), data.library_memberships
    if total is None or total <= usable:
        return counted(usable, "playlist membership"), MORE_PLAYLISTS
    return (f"{counted(total, 'playlist membership')}, {usable} of them of tracks with "
            f"'{data.audio_model}' embeddings",
            f"{MORE_PLAYLISTS}, or compute the other tracks' embeddings (embed)"
            if data.embeddable_left_out != 0 else MORE_PLAYLISTS)


def require_memberships(data: GraphData) -> None:
    """Refuse, in one line that counts from what ``stats`` shows, a library or dataset with
    too few memberships to train on. A library with no track in any playlist is told how to
    get some: "0 playlist memberships … put more tracks in playlists" sent a user who had no
    playlist at all to look for ones to fill."""
    if data.library_memberships == 0:  # a dataset dir's: None (its memberships.csv is all)
        raise MusicsageError("the graph model needs playlists: none of this library's tracks "
                             f"is in one — {NEED_WAYS['playlists'][1]}")
    if len(data.memberships) < MIN_MEMBERSHIPS:
        found, todo = _memberships_found(data)
        raise MusicsageError(f"the graph model needs more playlists: {found}; at least "
                             f"{MIN_MEMBERSHIPS} are needed — {todo}")


def _require_training_memberships(data: GraphData, split: Split) -> None:
    """Refuse a split that leaves too few memberships to train on, saying where the others
    went (the evaluation's hold-out, the tracks it moves out of playlists): the bare count
    left matched nothing the user could see."""
    left = int(split.train.sum())
    if left >= MIN_TRAINING_MEMBERSHIPS:
        return
    found, todo = _memberships_found(data)
    held, moved = int((split.role == HELD_OUT).sum()), int((split.role == UNPLAYLISTED).sum())
    # a smaller hold-out is offered only where one can leave enough: "held out 0 (1%)" was
    # told to give a smaller --holdout, as was a hold-out that left too few even at 0
    refusal = (TooFewLeftByTheHoldOut if held and left + held >= MIN_TRAINING_MEMBERSHIPS
               else MusicsageError)
    raise refusal(
        f"the graph model needs more playlists: {found}, {left} left for training after "
        f"the evaluation held out {held} ({split.fraction:.0%}) and moved "
        f"{counted(len(split.moved), 'track')} ({counted(moved, 'membership')}) out of "
        f"playlists; at least {MIN_TRAINING_MEMBERSHIPS} are needed — {todo}")


def _require_fit_memberships(train_memberships: np.ndarray, n_tracks: int,
                             config: TrainConfig) -> np.ndarray:
    """The memberships the run fits on (those validation leaves, as ``train`` takes them);
    a validation share that leaves too few is refused, naming it: ``val_fraction=0.97``
    left 8 of 280 and crashed the sampler (exit 70)."""
    val = validation_split(train_memberships, n_tracks, config)
    if val is None:
        return train_memberships
    left = int(val.train.sum())
    if left >= MIN_TRAINING_MEMBERSHIPS:
        return val.train_memberships
    raise MusicsageError(
        f"the graph model needs more memberships to fit on: validation (val_fraction "
        f"{config.loop.val_fraction:g}) took {len(train_memberships) - left} of the "
        f"{len(train_memberships)} training memberships and left {left}; at least "
        f"{MIN_TRAINING_MEMBERSHIPS} are needed — lower val_fraction (default "
        f"{TrainConfig().loop.val_fraction:g}) or {MORE_PLAYLISTS}")


def _require_a_pair(fit_memberships: np.ndarray, n_tracks: int, config: TrainConfig) -> None:
    """Refuse, before any step, memberships to fit on of which no two tracks share a
    playlist: a pair objective's sampler draws no pair from them, so the run trained to its
    last step and only then was refused (``eval``: after whole seeds had trained). One
    playlist of two tracks is enough to train (a model that learned nothing, said so); a DGI
    objective needs no pair."""
    if config.objective == "dgi":
        return
    keys = np.unique(fit_memberships[:, 1] * n_tracks + fit_memberships[:, 0])
    if len(keys) and np.bincount(keys // n_tracks).max() >= 2:
        return
    raise MusicsageError(nothing_to_train_on(len(fit_memberships)))


def check_every_split(data: GraphData, config: TrainConfig, seeds: int, holdout: float
                      ) -> None:
    """Every seed's split checked before the first trains: a small library trained seed 0
    for minutes, then seed 1's split was refused and seed 0's run lost. A refusal names the
    seed ("seed 1's split: …") only where some seeds pass — ``train`` and ``eval --seeds 1``
    pass on the same library, so a bare line read as wrong; where every seed is refused (a
    hold-out of 0.8 leaves too few to train on whatever the seed) the first seed's line is
    said bare, even where the seeds' counts differ: "seed 0's split" read as if another seed
    would do."""
    require_memberships(data)  # no seed's doing: said as ``train`` says it
    refused: dict[int, MusicsageError] = {}
    for seed in range(config.seed, config.seed + seeds):
        try:
            checked_split(data, config.with_(seed=seed), holdout)
        except MusicsageError as e:
            refused[seed] = e
    if not refused:
        return
    seed, first = next(iter(refused.items()))
    if len(refused) == seeds:  # a smaller hold-out offered only where it helps every seed
        if all(isinstance(e, TooFewLeftByTheHoldOut) for e in refused.values()):
            raise first
        raise MusicsageError(str(first)) from first
    raise type(first)(f"seed {seed}'s split: {first}") from first
