"""What a training run is made of: the encoder's shape, the loop, the walks, the objective.

Configs compose instead of repeating fields: :class:`TrainConfig` holds an
:class:`~musicsage.graph.model.EncoderConfig` (what the model is), a :class:`LoopConfig` (how
long and how fast it learns, how it is validated) and :class:`~musicsage.graph.sampler.WalkParams`
(its neighbourhoods), plus the objective and its sampling options. ``with_(name=value)`` finds
the part that owns ``name`` — every field name is unique across the parts — so a benchmark or
the command line can say ``dim=128`` or ``num_walks=60`` without knowing where it lives.
"""

from __future__ import annotations

import math
import typing
from dataclasses import asdict, dataclass, field, fields, replace

from musicsage.audio import threads as audio_threads
from musicsage.errors import MusicsageError
from musicsage.graph.model import INPUT_SCALINGS, EncoderConfig
from musicsage.graph.layers import AGGREGATORS
from musicsage.graph.sampler import NEGATIVE_POOLS, WalkParams

OBJECTIVE_NAMES = ("infonce", "hinge", "dgi")
"""``objective``'s values: :data:`musicsage.graph.train.OBJECTIVES`' names, here so that
``--set objective=foo`` is refused before the data are read, without importing DGL (a test
keeps the two the same)."""
SELECT = ("val", "loss")
VAL_METRICS = ("hr@10", "mrr")
CONTEXT_INITS = ("svd", "zero")
DGI_CONTEXTS = ("off", "corrupt")
"""``dgi_contexts``' values: :data:`musicsage.graph.dgi.CONTEXT_MODES`, named here so that a
config is checked without importing the DGI objective (a test keeps the two the same)."""
PRETRAINS = ("dgi",)

MAX_SEED = 2**30
"""The largest seed: numpy refuses negative ones, dgl.seed any above 2**31 - 1, and a run
derives a few more (seed + 1, seed + 7919; eval's seed + N - 1) that must stay below it."""

MAX_LR = 10.0
"""The largest step size (lr, context_lr, gate_lr): 1e39 overflowed float32 and wrote
non-finite vectors, 1e308 crashed the optimiser; anything near this is already useless."""
MAX_WEIGHT_DECAY = 1.0
TAU_RANGE = (0.02, 100.0)
"""``tau``'s range: the logits are cosines / tau, and exp(1/tau) must stay a float32
(tau=1e-300 wrote non-finite vectors); above 100 every logit is ~0 and nothing is learnt."""

SIZE_LIMITS = {"dim": 4096, "hidden": 4096, "layers": 16, "num_walks": 10_000,
               "num_neighbors": 1000, "num_traversals": 100, "batch_size": 4096}
"""Generous upper bounds on the sizes (docs/model.md "Options"): ``dim=99999999999`` asked
for a 301 TB weight and ``num_walks=100000000`` for as much in the sampler (both crashed),
``batch_size=100000000`` ran on for minutes (each step compares every pair in the batch: 3
steps on 60 tracks took 30 s at 4,096 and over 200 s at 16,384; the default is 512)."""

MAX_NEGATIVES = 10_000
"""The most extra negatives per step: each step holds a batch × negatives int64 table (which
candidates share the head's playlist), 4,096 × 10,000 × 8 bytes = 330 MB at the largest
batch; 1,000,000 asked for 30.5 GiB and crashed (MemoryError). The benchmarks tried 512."""
MAX_VAL_FRACTION = 0.5
"""The largest share of the training memberships validation may hold aside: beyond half the
model fits on fewer memberships than it is checked on (0.97 left 8 of 280 and crashed the
sampler); validation only picks the step and the views' weights (default 0.05)."""
MARGIN_RANGE = (0.0, 2.0)
"""``margin``'s range, above 0 and at most 2: the hinge is max(0, margin − cos(h, t) +
cos(h, n)) and cosines lie in [−1, 1], so at 2 it never clips and a larger margin only adds a
constant (1e37 wrote an infinite loss); at 0 or below a pair already apart costs nothing
(−1 read as "learned nothing" and blamed the playlists)."""


@dataclass(frozen=True)
class LoopConfig:
    """The optimisation loop every objective shares.

    ``context_lr``: each context vector is updated only when one of its tracks is in a
    batch, so they get a larger step than the dense weights. ``gate_lr``: the
    step of the skip gate (the graph layers' share of the output; it starts at 0), default
    ``lr``.
    ``eval_every``: steps between validations; ``patience``: validations without a new best
    before stopping, never before ``min_steps``. ``select``: keep the state with the best
    validation HR@10 ('val'; falls back to 'loss' when there is no validation pair) or the
    lowest mean training loss ('loss'); ``val_metric``: which validation metric ('hr@10' or
    'mrr', the smoother one). ``val_fraction``: share of the training memberships
    held aside for validation (0 = none). ``ema``: when above 0, validation and the kept state
    use an exponential moving average of the weights (decay ``ema`` per step) instead of the
    weights themselves — a smoother state to pick from; off by default, it did not pay on
    validation (docs/model.md). ``keep_start``: validate the state before the first step too
    and keep it when no trained state beats it on validation; off by default, it never
    decided anything on the benchmarks (docs/model.md).
    """

    lr: float = 1e-3
    context_lr: float = 1e-2
    gate_lr: float | None = None
    weight_decay: float = 0.0
    warmup: int = 100
    batch_size: int = 512
    max_steps: int = 3000
    min_steps: int = 0
    eval_every: int = 100
    patience: int = 3
    select: str = "val"
    val_metric: str = "hr@10"
    val_fraction: float = 0.05
    val_pairs: int = 2000
    ema: float = 0.0
    keep_start: bool = False
    seed: int = 0
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.select not in SELECT:
            raise MusicsageError(f"select must be one of {', '.join(SELECT)}")
        if self.val_metric not in VAL_METRICS:
            raise MusicsageError(f"val_metric must be {' or '.join(map(repr, VAL_METRICS))}")
        if self.max_steps < 1 or self.batch_size < 2 or self.eval_every < 1:
            raise MusicsageError("max_steps >= 1, batch_size >= 2 and eval_every >= 1 needed")
        if not 0.0 <= self.val_fraction < 1.0:
            raise MusicsageError("val_fraction must be in [0, 1)")
        if not 0.0 <= self.ema < 1.0:
            raise MusicsageError("ema must be in [0, 1)")
        # A step size below 0 or NaN climbed the loss or wrote NaN vectors (exit 0 with
        # --holdout 0); 0 freezes the part (an ablation); a negative thread count crashed.
        # 1e39 and up overflowed float32 (non-finite vectors, or a crash: exit 70).
        for name in ("lr", "context_lr", "gate_lr"):
            value = getattr(self, name)
            if value is not None and not (0.0 <= value <= MAX_LR):
                raise MusicsageError(f"{name} must be a number, 0 or more and at most "
                                     f"{MAX_LR:g}, got {value}")
        if not 0.0 <= self.weight_decay <= MAX_WEIGHT_DECAY:
            raise MusicsageError(f"weight_decay must be 0 or more and at most "
                                 f"{MAX_WEIGHT_DECAY:g}, got {self.weight_decay}")
        # numpy refuses negative seeds, dgl.seed any above 2**31 - 1 (the user's --seed is
        # held to MAX_SEED by jobs.make_config; eval's seeds run on past it)
        if not 0 <= self.seed < 2**31:
            raise MusicsageError(f"seed must be between 0 and {2**31 - 1}, got {self.seed}")
        if min(self.warmup, self.min_steps) < 0 or self.val_pairs < 1:
            raise MusicsageError("warmup and min_steps must be 0 or more, val_pairs at least 1")
        # patience 0 stopped every run at its first validation, improving or not
        if self.patience < 1:
            raise MusicsageError(f"patience must be at least 1 (validations without a new "
                                 f"best before the run stops; a large value turns early "
                                 f"stopping off), got {self.patience}")
        if self.threads is not None and self.threads < 0:
            raise MusicsageError(f"threads must be 0 (torch's default) or more, got "
                                 f"{self.threads}")

    @property
    def torch_threads(self) -> int | None:
        """torch's thread count for a run: ``threads`` when given (0: torch's own default,
        every core: None here), at most the cores this process may use (threads=1000 on 2
        cores ran on for minutes, each thread waiting for the others), else
        :func:`default_training_threads`."""
        if self.threads is None:
            return default_training_threads()
        return min(self.threads, usable_cores()) or None


def default_training_threads() -> int:
    """Half the cores this process may use, at least one: torch's default (every core) made
    a training 6x slower whenever anything else kept a core busy — 64 s against 10 s for 300
    steps on the demo with two busy processes on 2 cores, its OpenMP threads spinning while
    they wait for each other (bench/graph_threads.py) — and won ~25% on an idle machine."""
    return max(1, usable_cores() // 2)


def usable_cores() -> int:
    """The cores this process may keep busy (at least one): embedding's count
    (:func:`~musicsage.audio.threads.cpu_cores`), its affinity less a container's CPU quota.
    A second count here read the affinity alone, and ``train`` in ``docker --cpus 2`` on a
    64-core host ran 32 torch threads for two cores' time."""
    return audio_threads.cpu_cores()


@dataclass(frozen=True)
class TrainConfig:
    """Every tunable of a run (defaults: see docs/model.md for how they were chosen).

    ``objective``: 'infonce' | 'hinge' | 'dgi'; ``tau``/``margin`` parametrise the first two,
    ``dgi_contexts``/``dgi_shuffles`` the third. ``negatives``: extra candidates per step
    drawn from the catalogue (``negative_pool`` 'all' tracks, or 'cold' ones with no
    playlist), as the evaluation ranks against every track; ``symmetric``: InfoNCE also
    with the tails as queries. ``popularity_correction``: subtract each in-batch candidate's
    log sampling probability from its logit (heads and tails are drawn in proportion to
    their memberships, the evaluation's candidates uniformly). ``mask_known``: a candidate
    that shares a playlist with the head (in the graph the step runs on) is no negative — the
    evaluation filters a query's known co-members the same way. ``head_negatives``: the
    other heads are candidates for a head too (off: only tails and extra negatives are;
    heads always have a playlist and are never a positive, which teaches "tracks with a
    playlist are no answers"; turning them off did not pay on validation). ``pretrain``:
    'dgi' runs self-supervised steps before the objective. The pair objectives' sampling:
    ``folds`` held-aside folds of the training memberships (the positive's membership
    hidden, see :mod:`~musicsage.graph.sampler`), tables resampled every ``refresh_every``
    visits, pair edges dropped from the blocks.
    ``hide_positive``/``drop_pair_edges`` off exist for ablations only. ``context_init``:
    'svd' (the default: context vectors start from the co-membership geometry,
    :mod:`~musicsage.graph.context_init`; it paid on the citation graphs' validation splits
    and cost nothing elsewhere, docs/model.md) or 'zero' (the untrained encoder ranks like
    the audio features). ``two_hop``: after training, join item-kNN's two-hop geometry to
    the vectors with the weight γ the validation split chooses (0 leaves them as they are;
    :mod:`~musicsage.graph.two_hop`); not for the self-supervised objective 'dgi', whose
    vectors serve a linear probe. ``comember``: after training, train the co-member encoder
    (co-member pairs with every membership in view, ``comember_steps`` steps, at most
    ``max_steps`` and at most 500 passes over its training memberships: a small library's
    view stops early) and mix its vectors in with the weight the validation split chooses (0
    leaves the model's vectors as they are; :mod:`~musicsage.graph.comember`); not for
    'dgi' either. ``choose_contexts``: when the contexts hold the playlists and an album or
    artist, train once more on the playlists alone and keep the run whose served vectors
    score higher on the validation split, ties to every type (:mod:`~musicsage.graph.train`):
    a coarse context that query and positive share can stop the model learning the
    playlists' finer structure (docs/model.md); off: one run, on the contexts given.
    """

    objective: str = "infonce"
    tau: float = 0.1
    margin: float = 0.2
    symmetric: bool = True
    negatives: int = 0
    negative_pool: str = "all"
    popularity_correction: bool = True
    mask_known: bool = True
    head_negatives: bool = True
    dgi_contexts: str = "off"
    dgi_shuffles: int = 1
    pretrain: str | None = None
    folds: int = 10
    refresh_every: int = 10
    drop_pair_edges: bool = True
    hide_positive: bool = True
    context_init: str = "svd"
    two_hop: bool = True
    comember: bool = True
    comember_steps: int = 3000
    choose_contexts: bool = True
    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    loop: LoopConfig = field(default_factory=LoopConfig)
    walk: WalkParams = field(default_factory=WalkParams)

    def __post_init__(self) -> None:
        if self.context_init not in CONTEXT_INITS:
            raise MusicsageError(f"context_init must be one of {', '.join(CONTEXT_INITS)}")
        # dgi_contexts=foo trained a model when the objective was not DGI (the value was
        # never read), and with DGI was refused only once the run had started
        if self.dgi_contexts not in DGI_CONTEXTS:
            raise MusicsageError(f"dgi_contexts must be one of {', '.join(DGI_CONTEXTS)}, got "
                                 f"{self.dgi_contexts!r}")
        if self.negative_pool not in NEGATIVE_POOLS:
            raise MusicsageError(f"negative_pool must be one of {', '.join(NEGATIVE_POOLS)}")
        # tau 0 gave NaN vectors (TAU_RANGE refuses it, NaN too); one fold holds every
        # membership aside, so no step had a pair; each was accepted and failed later, or not
        # at all (negatives < 0).
        if not math.isfinite(self.margin):
            raise MusicsageError(f"margin must be a finite number, got {self.margin}")
        low, high = TAU_RANGE
        if not low <= self.tau <= high:
            raise MusicsageError(f"tau must be between {low:g} and {high:g} (the logits are "
                                 f"similarities / tau, and must stay finite), got {self.tau}")
        if self.pretrain is not None and self.pretrain not in PRETRAINS:
            raise MusicsageError(f"unknown pre-training {self.pretrain!r}: choose from "
                                 f"{', '.join(PRETRAINS)} or none")
        self._check_sizes()
        if self.folds < 2 or self.refresh_every < 1 or self.negatives < 0 \
                or self.dgi_shuffles < 1 or self.comember_steps < 1:
            raise MusicsageError("folds must be at least 2, refresh_every and dgi_shuffles "
                                 "at least 1, comember_steps at least 1, negatives 0 "
                                 "or more")

    def _check_sizes(self) -> None:
        """The sizes' upper bounds (:data:`SIZE_LIMITS`), for whichever part owns each."""
        for name, most in SIZE_LIMITS.items():
            owner = _OWNER[name]
            value = getattr(getattr(self, owner) if owner else self, name)
            if value > most:
                raise MusicsageError(f"{name} must be at most {most:,}, got {value:,}")

    def check_new_run(self) -> None:
        """The limits a new run is held to (``--set``, :func:`~musicsage.graph.jobs.make_config`)
        beyond ``__post_init__``'s, which a stored model's config is read with: a model trained
        before these were tightened (``margin=5``, ``negatives=20000``) still loads."""
        low, high = MARGIN_RANGE
        if not low < self.margin <= high:
            raise MusicsageError(f"margin must be above {low:g} and at most {high:g} (the hinge "
                                 f"compares cosines, which lie between -1 and 1), got "
                                 f"{self.margin:g}")
        if self.negatives > MAX_NEGATIVES:
            raise MusicsageError(f"negatives must be at most {MAX_NEGATIVES:,}, got "
                                 f"{self.negatives:,}")
        if self.loop.val_fraction > MAX_VAL_FRACTION:
            raise MusicsageError(f"val_fraction must be at most {MAX_VAL_FRACTION:g} (the share "
                                 f"of the training memberships held aside to validate on), got "
                                 f"{self.loop.val_fraction:g}")

    @property
    def seed(self) -> int:
        return self.loop.seed

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        """Nested dicts (as :meth:`to_dict` writes) or the flat dicts of older checkpoints."""
        d = dict(d)
        parts = {name: d.pop(name) for name in _PARTS if isinstance(d.get(name), dict)}
        config = cls()
        for name, values in parts.items():
            config = config.with_(**{k: v for k, v in values.items()
                                     if k in _part_fields(name)})
        known = set(_OWNER)
        return config.with_(**{k: v for k, v in d.items() if k in known})

    def with_(self, **changes) -> "TrainConfig":
        """A copy with ``changes``, each routed to the part that owns the name."""
        own, per_part = {}, {name: {} for name in _PARTS}
        for key, value in changes.items():
            owner = _OWNER.get(key)
            if owner is None:
                raise MusicsageError(f"unknown training option {key!r}")
            (own if owner == "" else per_part[owner])[key] = value
        for name, values in per_part.items():
            if values:
                own[name] = replace(getattr(self, name), **values)
        return replace(self, **own)


_PARTS = {"encoder": EncoderConfig, "loop": LoopConfig, "walk": WalkParams}


def _part_fields(name: str) -> set[str]:
    return {f.name for f in fields(_PARTS[name])}


def _owners() -> dict[str, str]:
    owner = {f.name: "" for f in fields(TrainConfig) if f.name not in _PARTS}
    for name in _PARTS:
        for key in _part_fields(name):
            if key in owner:  # the routing of with_() needs unique names
                raise AssertionError(f"training option {key!r} is defined twice")
            owner[key] = name
    return owner


_OWNER = _owners()


def option_names() -> list[str]:
    """Every name ``TrainConfig.with_`` accepts (for the command line's ``--set``)."""
    return sorted(k for k in _OWNER if k not in ("in_dim", "n_contexts"))


def parse_options(items: list[str] | None) -> dict:
    """``["dim=512", "skip=false"]`` -> ``{"dim": 512, "skip": False}``: the command line's
    ``--set KEY=VALUE`` for any training option (:func:`option_names`). A value out of its
    option's range (``dim=0``, ``dgi_contexts=foo``) is refused here, as ``--set dim must be
    at least 1, got 0``, before any work starts."""
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise MusicsageError(f"--set {item!r}: expected KEY=VALUE")
        if key not in option_names():
            raise MusicsageError(f"--set {key}: unknown training option (one of: "
                                 f"{', '.join(option_names())})")
        out[key] = _checked(key, value.strip())
    seed = out.get("seed")
    if seed is not None:  # --seed (default 0) seeded the run over it: ignored without a word
        raise MusicsageError(f"--set seed: give --seed {seed} instead (it seeds the split and "
                             "the run)")
    try:  # every value's range, now: before the data is read and a run started
        TrainConfig().with_(**out).check_new_run()
    except MusicsageError as exc:
        raise MusicsageError(f"--set {exc}") from None
    return out


_KINDS = {bool: "true or false", int: "a whole number", float: "a number"}


def _option_type(key: str) -> tuple[type, bool]:
    """The type of option ``key`` and whether it may be none (e.g. ``gate_lr``: none = lr)."""
    owner = _OWNER[key]
    hint = typing.get_type_hints(_PARTS[owner] if owner else TrainConfig)[key]
    kinds = [t for t in typing.get_args(hint) if t is not type(None)] or [hint]
    return kinds[0], len(kinds) < len(typing.get_args(hint))


def _choices(key: str) -> tuple[str, ...]:
    """The values a text option may take (none: any text, or checked elsewhere)."""
    return {"objective": OBJECTIVE_NAMES, "aggregator": tuple(AGGREGATORS), "input_scaling": INPUT_SCALINGS,
            "pretrain": PRETRAINS, "select": SELECT, "context_init": CONTEXT_INITS,
            "dgi_contexts": DGI_CONTEXTS, "negative_pool": tuple(NEGATIVE_POOLS),
            "val_metric": VAL_METRICS}.get(key, ())


def check_choice(option: str, key: str, text: str, *, optional: bool = False) -> None:
    """Refuse ``text`` as a value of the text option ``key`` unless one of its choices, in one
    wording wherever it is given: ``--objective foo`` and ``--set objective=foo`` were refused
    in two ("unknown objective 'foo': choose from dgi, …", the choices sorted, and "--set
    objective must be one of infonce, …"). ``option``: how the user gave it."""
    choices = _choices(key)
    if choices and text not in choices:  # "--set unknown aggregator 'foo'" read oddly
        raise MusicsageError(f"{option} must be one of {', '.join(choices)}"
                             f"{' or none' if optional else ''}, got {text!r}")


def _checked(key: str, text: str):
    """``text`` as a value of the option's type, or a line saying what the option expects
    (an option whose default is none, such as ``gate_lr=abc``, went unchecked and crashed)."""
    kind, optional = _option_type(key)
    low = text.lower()
    if optional and low in ("none", "null"):
        return None
    if kind is str:
        check_choice(f"--set {key}", key, text, optional=optional)
        return text
    if kind is bool and low in ("true", "false"):
        return low == "true"
    try:
        if kind is not bool:
            return kind(text)  # a range (dim=0, lr=-1, nan) is the config's to refuse
    except ValueError:
        pass
    none = " or none" if optional else ""
    raise MusicsageError(f"--set {key} expects {_KINDS.get(kind, kind.__name__)}{none}, "
                         f"got {text!r}")
