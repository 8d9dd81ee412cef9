"""What a training job hands back, in a module that imports neither torch nor dgl.

The window runs training in a child process (``Mode.PROCESS``) and unpickles its report in
its own process; unpickling imports the module that defines the report's class. Defined in
:mod:`musicsage.graph.jobs` (which imports the training code), it pulled torch and dgl into
the window and froze it for 0.3–0.8 s at the end of every Retrain. Keep this module light:
the standard library only (``tests/graph/test_reports.py`` checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

#: fewer evaluation pairs than this and the figures are noted as too few to mean much
#: (:func:`musicsage.graph.evaluate.small_split_notes`); here, in a light module, because
#: ``stats`` and the window mark a stored model's figures with it (importing the evaluation
#: code for it cost ``stats`` ~35 ms: scipy)
FEW_PAIRS = 100

#: the fewest playlist memberships (track in a playlist, each pair once) a graph model trains
#: on (:func:`musicsage.graph.split_checks.require_memberships`); here, in a light module,
#: because the window's Retrain and ``similar`` say it before a run is started
MIN_MEMBERSHIPS = 20


def too_few_memberships(count: int) -> str | None:
    """"needs at least 20 playlist memberships (this library has 13)…" for a library with
    some memberships but too few to train on (None: enough, or none at all — which the
    callers word as "import your playlists")."""
    if not 0 < count < MIN_MEMBERSHIPS:
        return None
    return (f"needs at least {MIN_MEMBERSHIPS} playlist memberships (this library has "
            f"{count}): put more tracks in playlists")


#: what ``train --dataset … --out OUT`` writes (and replaces in a folder such a run wrote);
#: here, in a light module, because the command line reads what OUT held before a run
TRAIN_OUT_FILES = ("embeddings.npy", "model.pt", "metrics.json")


def out_files_stamp(out: str | os.PathLike) -> tuple:
    """What ``out`` holds of :data:`TRAIN_OUT_FILES` now: each file's (device, inode, size,
    mtime), or None where there is none. A run replaces them by renames (new inodes), so two
    stamps differ exactly when some file was written between them."""
    stamps = []
    for name in TRAIN_OUT_FILES:
        try:
            st = os.stat(Path(out) / name)
        except (OSError, ValueError):
            stamps.append(None)
            continue
        stamps.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def stopped_dataset_text(out: str | os.PathLike, before: tuple) -> str:
    """What a ``train --dataset … --out OUT`` stopped part way (Ctrl-C, SIGTERM) leaves in
    OUT, given :func:`out_files_stamp` of OUT before the run: "interrupted" alone left the
    user wondering whether the files of an earlier run there were half replaced."""
    now = out_files_stamp(out)
    if now != before:  # another run into OUT, waited for, or this one's save that finished
        # as the stop came: "changed while it ran" read as if no run's files were whole
        return (f"{out} holds the files of a run that ended meanwhile (this one's or "
                f"another's): see {Path(out) / 'metrics.json'}")
    if any(stamp is not None for stamp in before):
        return f"{out} keeps the files it had (nothing of this run was written)"
    return f"nothing was written to {out}"


#: how to get what training lacks, (the window's words, the command line's): the window names
#: its menu items, a terminal the commands — "Retrain in the window, or musicsage train" told
#: a terminal's user of a library that could not train to train it
NEED_WAYS = {"playlists": ("import some (File ▸ Import playlists…)",
                           "import some with `musicsage scan --playlists PATH`"),
             "tracks": ("add a music folder first (File ▸ Add music folder…)",
                        "scan a music folder first, e.g. `musicsage scan ~/Music`"),
             "unresolved": ("Rescan the folders they point to",
                            "Rescan the folders they point to (`musicsage scan FOLDER`)"),
             "vectors": ("use Analyse ▸ Compute embeddings, then Retrain",
                         "run `musicsage embed`, then `musicsage train`"),
             "missing": ("once the missing files are back, a rescan (File ▸ Rescan) and "
                         "Analyse ▸ Compute embeddings analyse them",
                         "once the missing files are back, a rescan (`musicsage scan`) and "
                         "an embed analyse them")}


DGI_WAY = " (or train with --objective dgi, which needs none)"
"""How the command line's words end where no playlist holds two tracks: ``--objective dgi``
trains there (the window says it as the command line's: its Retrain has no objective)."""


def training_need(memberships: Iterable[tuple[int, int]], *, usable: int | None,
                  unresolved: bool, cli: bool = False, tracks: bool = True,
                  embeddable: bool | None = None, shared: bool | None = None,
                  embed_pairs: bool | None = None, missing: bool = False) -> str | None:
    """What training needs of a library, "needs …" (None: it can train): the one decision
    behind every line that says there is no graph model, the window's (``cli`` False: menu
    items) and the command line's (commands). ``memberships``: its (playlist id, track id)
    pairs, each counted once as training counts it (a snapshot lists a track twice in a
    playlist twice); ``usable``: how many of those are of tracks with a vector of its audio model
    (None: not known) — training drops the others, so a library past
    :data:`MIN_MEMBERSHIPS` only through unembedded tracks was offered a run that refused;
    ``unresolved``: some playlist entries match no track; ``tracks``: False for a library
    with no track at all, which playlists alone cannot help (``train`` says to scan).
    ``embeddable``: whether an embed can give a vector now to some playlist track lacking one
    (:func:`~musicsage.usecases.training_reach.training_reach`; None: not known) — the
    embed advice stands only there, the rule of :func:`~musicsage.usecases.left_out_notes.
    reanalysis_tail`: tracks imported without a file, missing files and files whose analysis
    failed were sent to an embed that left them as they were. ``shared``: whether some
    playlist holds two tracks with a vector (None: not known) — one holding a vectored track
    beside unvectored ones passed for a shared playlist, and ``train`` then refused.
    ``embed_pairs``: whether an embed can make some playlist hold two (None: not known) —
    "or run embed" was said where it gave vectors only to tracks alone in their playlists.
    ``missing``: some playlist track lacking a vector is a missing file — "put more tracks
    in playlists" alone was said of an unplugged drive's tracks."""
    unique = set(memberships)
    pairs = len(unique)
    if not tracks:
        return f"needs tracks, and the library has none: {NEED_WAYS['tracks'][cli]}"
    if not pairs and unresolved:
        return ("needs playlists that name tracks of the library: your playlists' entries "
                f"match none of its tracks. {NEED_WAYS['unresolved'][cli]}, or check the "
                "paths in the playlists")
    if not pairs:
        return f"needs playlists that name tracks of this library: {NEED_WAYS['playlists'][cli]}"
    dgi_trains = cli and (usable is None or usable >= MIN_MEMBERSHIPS)  # (dgi needs vectors)
    if why := (too_few_memberships(pairs) or _no_shared_playlist(unique, dgi_trains)):
        return why
    if usable is None or usable >= MIN_MEMBERSHIPS:
        return None if shared is not False else _none_shared_with_vectors(
            cli, dgi_trains, embeddable is not False and embed_pairs is not False, missing)
    if embeddable is False:
        return _nothing_to_embed(usable, pairs) + _once_back(missing, cli)
    if shared is False and embed_pairs is False:  # an embed leaves no playlist holding two:
        # "run embed, then train" led to this same line, then to a train that refused
        return _none_shared_with_vectors(cli, dgi_trains, False, missing)
    if not usable:
        return f"needs the tracks' audio embeddings first: {NEED_WAYS['vectors'][cli]}"
    return (f"needs the audio embeddings of more of its playlists' tracks first ({usable} of "
            f"its {pairs} playlist memberships are of tracks with one; at least "
            f"{MIN_MEMBERSHIPS} are needed): {NEED_WAYS['vectors'][cli]}")


#: why an embed gives no vector now to the playlist tracks lacking one (as the notes of
#: :mod:`musicsage.usecases.left_out_notes` tell them apart, in one line)
CANNOT_EMBED = ("each is a missing file, one whose analysis failed, or a track imported from a "
                "dataset dir without an audio file")


def _nothing_to_embed(usable: int, pairs: int) -> str:
    """What training needs where too few playlist memberships are of tracks with a vector
    and an embed can analyse none of the others now: more playlist tracks, not an embed."""
    if not usable:
        return ("needs playlist tracks with audio embeddings, and an embed cannot analyse its "
                f"playlists' tracks now ({CANNOT_EMBED}): put tracks that have one in "
                "playlists")
    return (f"needs more playlist memberships of tracks with audio embeddings ({usable} of its "
            f"{pairs} are; at least {MIN_MEMBERSHIPS} are needed), and an embed cannot analyse "
            f"the other tracks now ({CANNOT_EMBED}): put more tracks in playlists")


def _once_back(missing: bool, cli: bool) -> str:
    """What the end of a line that names no embed adds where some playlist tracks lacking a
    vector are missing files: what gives them one, as the notes beside the lists say it."""
    return f", or, {NEED_WAYS['missing'][cli]}" if missing else ""


def _none_shared_with_vectors(cli: bool, dgi: bool, embed: bool, missing: bool) -> str:
    """:func:`_no_shared_playlist`'s words where playlists of two tracks exist but none holds
    two tracks with a vector, which training alone keeps; an embed is named where it can
    make some playlist hold two, the missing files' rescan where it cannot."""
    ways = f", or {NEED_WAYS['vectors'][cli]}" if embed else _once_back(missing, cli)
    dgi_way = DGI_WAY if dgi else ""
    return ("needs playlists of at least two tracks with audio embeddings: no playlist of this "
            "library holds two of its tracks that have one, and the graph model learns from "
            f"tracks that share one — put more tracks in playlists{ways}{dgi_way}")


def _no_shared_playlist(pairs: set[tuple[int, int]], cli: bool) -> str | None:
    """"needs playlists of at least two tracks…" where no playlist holds two of the tracks
    (``pairs``: distinct (playlist id, track id)): training learns from tracks that share a
    playlist and refuses a library of one-track playlists, however many ("train one" sent
    the user to that refusal). The command line's words (``cli``) add ``--objective dgi``,
    which trains on such a library: "needs playlists of at least two tracks" alone was
    untrue of it (not where too few of its tracks have vectors: dgi refuses that too); the
    window's Retrain has no such choice."""
    playlists = [playlist for playlist, _track in pairs]
    if len(set(playlists)) < len(playlists):
        return None
    dgi = DGI_WAY if cli else ""
    return ("needs playlists of at least two tracks: no playlist of this library holds two "
            "of its tracks, and the graph model learns from tracks that share one — put more "
            f"tracks in playlists{dgi}")


@dataclass
class TrainReport:
    """What a training job returns (also what the GUI shows)."""

    metrics: dict | None
    steps: int
    best_step: int
    #: None when no validation ran (too few memberships to set some aside, DGI, or
    #: ``val_fraction=0``): the weights kept were then those of the lowest training loss
    best_val_hr10: float | None
    seconds: float
    contexts: tuple[str, ...]
    objective: str
    history: list[dict] = field(default_factory=list)
    model_id: int | None = None
    out_dir: str | None = None
    audio_model: str = ""
    #: where the model trained: 'cpu', 'cuda' or 'cuda:N'
    device: str = "cpu"
    #: the weight of item-kNN's two-hop part in the vectors (0: the model's alone)
    two_hop_gamma: float = 0.0
    #: the weight of the co-member view in the vectors (0: the model's alone)
    comember_weight: float = 0.0
    #: context types asked for that no track has (GraphData.empty_context_types)
    empty_contexts: tuple[str, ...] = ()
    #: False when the loss was 0 at every step: no step moved the weights, and the model is
    #: the untrained one (the first of ``notes`` says why)
    learned: bool = True
    #: what the user should know about the run, in plain words (also first among the
    #: ``metrics``' notes when there are metrics)
    notes: tuple[str, ...] = ()
    #: the validation score of each set of contexts tried ("playlist,album,artist",
    #: "playlist"; empty when validation chose none), in ``val_metric``
    context_scores: dict = field(default_factory=dict)
    #: context types asked for that validation left out (``contexts`` holds those kept)
    dropped_contexts: tuple[str, ...] = ()
    val_metric: str = "hr@10"


METRIC_NAMES = {"hr@10": "HR@10", "mrr": "MRR"}
VAL_KEYS = {"hr@10": "val_hr10", "mrr": "val_mrr"}
"""Each ``val_metric``'s key in a validated step of ``history``."""


def dropped_contexts_text(report: TrainReport) -> str | None:
    """'validation kept playlists only: HR@10 0.67 against 0.44 with albums and artists'
    for a run whose validation left context types out (None for one that kept them all);
    the types no track has are not named — they changed nothing."""
    if not report.dropped_contexts or len(report.context_scores) < 2:
        return None
    kept = ",".join(report.contexts)
    other = next(key for key in report.context_scores if key != kept)
    named = [f"{kind}s" for kind in report.dropped_contexts
             if kind not in report.empty_contexts]
    metric = METRIC_NAMES.get(report.val_metric, report.val_metric)
    only = " and ".join(f"{kind}s" for kind in report.contexts)
    return (f"validation kept {only} only: {metric} {report.context_scores[kept]:.3f} "
            f"against {report.context_scores[other]:.3f} with {' and '.join(named)}")
