"""The training dock's evaluation table and model line, as plain data (no Qt).

The table reads the evaluation a training run reports (the ``eval`` JSON, docs/protocol.md):
one row per kind of held-out pair — **overall**, **warm** (the track kept another playlist:
ranked among tracks that have one), **cold** (it has none left: ranked among tracks
without one) and **new pairs** (the track never shared a training playlist with the query:
the pairs the playlists do not already answer) — and, for each, graph model vs audio only
on HR@10 and MRR. A split without cold pairs has ``null`` metrics there, shown as "–"; an
evaluation written before a kind existed leaves its row at "–".
"""

from __future__ import annotations

from dataclasses import dataclass

from musicsage.audio_models import family_named
from musicsage.controllers.wording import MISSING, RETRAIN_ADVICE, format_metric
from musicsage.graph.saved_numbers import saved_count
from musicsage.text import counted, noun, printable
from musicsage.usecases.embedding import NoVectorWays, graph_vectors_given
from musicsage.usecases.library import seen_in_training
from musicsage.usecases.kept_model import unreadable
from musicsage.usecases.models import older_protocol

EVAL_ROWS = (("overall", "Overall"), ("warm", "Warm"), ("cold", "Cold"),
             ("new_pairs", "New pairs"))
EVAL_COLUMNS = (("graph", "hr@10", "Graph HR@10"), ("audio", "hr@10", "Audio HR@10"),
                ("graph", "mrr", "Graph MRR"), ("audio", "mrr", "Audio MRR"))
"""(space, metric, header) of each column."""
ROW_TIPS = {
    "overall": "Every held-out membership, ranked among all tracks",
    "warm": "Held-out tracks still in another playlist, ranked among tracks that have one",
    "cold": "Held-out tracks left without any playlist, ranked among tracks that have none "
            "(what a new track is like)",
    "new_pairs": "Held-out tracks that were never in a training playlist with the query, ranked "
                 "among all tracks: what your playlists do not already say (a track already "
                 "next to the query elsewhere is easy for the graph model to rank first)",
}


@dataclass(frozen=True)
class EvalRow:
    key: str
    label: str
    cells: tuple[str, ...]
    """One text per column of :data:`EVAL_COLUMNS`."""
    better: tuple[bool, ...]
    """Per column: the graph model beats audio only on that metric (graph columns only)."""
    pairs: int | None
    tip: str


@dataclass(frozen=True)
class EvalTable:
    rows: tuple[EvalRow, ...]
    caption: str
    """One short line over the table: in the low dock of a 1024x640 window a longer caption
    took two lines that pushed the table's last row out of sight."""
    caption_tip: str = ""
    """What the caption leaves out (the protocol, the brackets, "–", bold)."""
    notes: str = ""
    """The evaluation's notes, one a line ("" when none): figures of an older evaluation, a
    split too small to mean much, a model that learned nothing. Without them, "1.000" in
    every cell from one held-out pair read as a perfect model, while the command line said
    "too few to mean much"."""


def _block(metrics: dict, key: str) -> dict | None:
    block = metrics if key == "overall" else metrics.get(key)
    return block if isinstance(block, dict) else None


def evaluation_table(metrics: dict | None, needs: str | None = None) -> EvalTable:
    """The rows of the dock's table for an evaluation (``None``: before any training).
    ``needs``: what Retrain needs before it can train (:func:`retrain_needs`; None: it can)."""
    unevaluated = isinstance(metrics, dict) and not metrics  # a model's, saved with none
    metrics = metrics if isinstance(metrics, dict) else {}
    rows = []
    for key, label in EVAL_ROWS:
        block = _block(metrics, key) or {}
        values = [(block.get(space) or {}).get(metric) if isinstance(block.get(space), dict)
                  else None for space, metric, _ in EVAL_COLUMNS]
        better = []
        for (space, metric, _), v in zip(EVAL_COLUMNS, values):
            audio = (block.get("audio") or {}).get(metric) if isinstance(block.get("audio"),
                                                                         dict) else None
            better.append(space == "graph" and _shown_above(v, audio))
        pairs = saved_count(block.get("pairs"))  # NaN, 1e400: no count
        tip = ROW_TIPS[key] + (f" ({pairs:,} {noun(pairs, 'pair')})" if pairs is not None else "")
        rows.append(EvalRow(key, label + (f" ({pairs:,})" if pairs is not None else ""),
                            tuple(format_metric(v) for v in values), tuple(better), pairs, tip))
    notes = "\n".join(n for n in (_unevaluated_note(unevaluated, needs),
                                  _older_note(metrics, needs), notes_text(metrics)) if n)
    return EvalTable(tuple(rows), *_caption(metrics), notes=notes)


def _shown_above(graph: object, audio: object) -> bool:
    """Whether the graph figure beats audio's as the table shows them (3 decimals): a bold
    "0.066" beside audio's "0.066" (0.0661 vs 0.0659) said the graph model did better where
    the user saw a tie."""
    shown = format_metric(graph), format_metric(audio)
    return MISSING not in shown and float(shown[0]) > float(shown[1])


OLDER_START = ("Note: these figures are by an older evaluation, which counted ties for the "
               "graph model: not comparable with newer models")
OLDER_NOTE = f"{OLDER_START}; Retrain to re-evaluate."
"""Over the table of a model evaluated before the current protocol, in the words of the Graph
model menu ("… by an older evaluation") and of ``models`` ("not comparable: retrain to
re-evaluate"): its "0.912" beside a new model's "0.300" read as a far better model."""


def _older_note(metrics: dict, needs: str | None) -> str:
    """:data:`OLDER_NOTE` for figures of an older protocol
    (:func:`~musicsage.usecases.models.older_protocol`), else "". Where Retrain cannot train
    (``needs``), what it needs to re-evaluate instead: "Retrain to re-evaluate" sent the user
    to a Retrain that could only refuse."""
    if not older_protocol(metrics):
        return ""
    return OLDER_NOTE if needs is None else f"{OLDER_START}; to re-evaluate, {needs}"


HOLDOUT_ADVICE = "a larger --holdout"
"""How the evaluation's note of a split with no pair ends
(:func:`~musicsage.graph.evaluate.small_split_notes`)."""
WINDOW_HOLDOUT = ("a larger hold-out (--holdout on the command line: the window's Retrain has "
                  "no such setting)")
"""That advice in the window, said as the diverged run's ``--set lr`` is: the table's note
told a Retrain user to use "a larger --holdout", an option no control of the window has."""


UNEVALUATED = ("Note: this model has no evaluation: it trained on every playlist membership, "
               "none held out for an evaluation (train --holdout 0 on the command line)")
"""Over the empty table of a model saved with no figures (``metrics`` {}): the table sat at
its "Evaluation (after training)" placeholder, all "–", beside a trained model in use, and
nothing said why. "For an evaluation": validation still sets some memberships aside."""


def _unevaluated_note(unevaluated: bool, needs: str | None) -> str:
    """:data:`UNEVALUATED` when the model has no figures (``unevaluated``), then what gives
    one: a Retrain where it can train (``needs`` None), else what it needs first."""
    if not unevaluated:
        return ""
    return (f"{UNEVALUATED}; a Retrain evaluates the model it trains." if needs is None
            else f"{UNEVALUATED}; to evaluate one, {needs}")  # as the older evaluation's


def notes_text(metrics: dict | None) -> str:
    """The ``notes`` of an evaluation (the lines ``train`` prints as ``note: …``) as the
    window's sentences, one a line; "" when it has none."""
    notes = metrics.get("notes") if isinstance(metrics, dict) else None
    if not isinstance(notes, list):
        return ""
    return "\n".join(f"Note: {note.replace(HOLDOUT_ADVICE, WINDOW_HOLDOUT)}"
                     + ("" if note.endswith(".") else ".")
                     for note in notes if isinstance(note, str) and note)


def _caption(metrics: dict) -> tuple[str, str]:
    """(caption, its tooltip)."""
    if not metrics:
        return ("Evaluation (after training): graph model vs audio only",
                "Training ends with an evaluation on held-out playlist memberships")
    return ("Graph model vs audio only (held-out pairs in brackets)",
            f"Held-out playlist memberships, filtered ranking — graph model vs audio only. In "
            f"brackets: how many held-out pairs a row ranks; {MISSING}: no such pairs in this "
            f"split; bold: the graph model does better than audio only. The validation curve "
            "beside it scores the trainer's own split (for early stopping): other pairs, "
            "other figures.")


NO_MODEL_START = "No graph model yet: "
NO_MODEL = f"{NO_MODEL_START}{RETRAIN_ADVICE}."
NO_MODEL_TRAINING = "No graph model yet: the first one is training."
"""The dock's model line while the first run goes: "press Retrain" sat beside a greyed-out
Retrain for the whole run."""


def model_line(described: str, *, training: bool) -> str:
    """The dock's model line, from what :func:`describe_model` said of the model in use (never
    from the line shown, which may already say a run goes), while a run goes or not."""
    return (NO_MODEL_TRAINING if training and described.startswith(NO_MODEL_START)
            else described)


def describe_model(graph_model: dict | None, advice: str = RETRAIN_ADVICE,
                   blocked: str | None = None) -> str:
    """The dock's line about the model in use and the tracks it did not see in training, in
    the window's words for :func:`~musicsage.usecases.library.seen_in_training` (which
    ``stats`` words too): those added or changed since, and those with no vector of its audio
    model, with :class:`~musicsage.usecases.embedding.NoVectorWays`' way out. With none,
    ``advice`` (:func:`~musicsage.controllers.training.train_advice`). ``blocked``: why
    Retrain cannot train now (:func:`~musicsage.controllers.training.retrain_blocked`)."""
    if not graph_model:
        return f"{NO_MODEL_START}{advice}."
    audio = graph_model.get("audio_model")
    text = f"Model {graph_model.get('id')} on {audio}"
    problem = graph_model.get("problem")
    if isinstance(problem, str) and problem:  # what `stats` says DAMAGED: nothing else holds
        if unreadable(problem):
            return f"{text} is unreadable: {problem}; {damage_effect(problem)}."
        return f"{text} is damaged: {problem}; {damage_effect(problem)} — {advice}."
    told = seen_in_training(graph_model)
    unseen = told.unseen
    if unseen:
        text += (f" — {counted(unseen, 'track')} added or changed since "
                 f"training; {told.inductive} placed by the saved model without retraining. "
                 f"{_retrain_words(advice, blocked)}")
    if no_vector := _no_vector_words(NoVectorWays.of(graph_model), str(audio), blocked):
        text += f"{' ' if unseen else ' — '}{no_vector}"  # not "seen": no graph vector yet
    if left_out := graph_model.get("left_out"):  # not "seen"; Compute embeddings can't help
        text += f"{' ' if unseen or no_vector else ' — '}{left_out_words(left_out, audio)}."
    if told.none_with_vector:
        text += f" — no track of the library has a {audio} vector."
    elif told.all_seen:
        text += " — has seen every track in training."
    return text


TRAIN_ONE = "training one "
"""How :func:`~musicsage.controllers.training.train_advice` begins where Retrain cannot train."""


def retrain_needs(advice: str, blocked: str | None) -> str | None:
    """What Retrain needs before it can train, one sentence in its own tooltip's words
    ("Retrain needs at least 20 playlist memberships (this library has 13): …."); None where
    it can train. ``advice`` and ``blocked``: as :func:`describe_model` takes them."""
    if blocked is None and advice == RETRAIN_ADVICE:
        return None
    why = blocked or f"Retrain {advice.removeprefix(TRAIN_ONE)}"  # no playlists: no `blocked`
    return why if why.endswith(".") else f"{why}."


def _retrain_words(advice: str, blocked: str | None) -> str:
    """What lets the tracks added since training join the graph: Retrain where it can train,
    else what Retrain needs first (:func:`retrain_needs`) — "Retrain to learn from their
    playlists" sat beside a Retrain that could only refuse."""
    return retrain_needs(advice, blocked) or "Retrain to learn from their playlists."


def idle_status(needs: str | None) -> str:
    """The dock's status between runs, beside the figures of the model in use: "Press
    Retrain" where it can train, else what it needs first (:func:`retrain_needs`) — "Press
    Retrain" sat beside a Retrain that could only refuse (a trained model, then too few
    playlist memberships, or none left)."""
    first = needs or ("Press Retrain to train a new graph model: it learns from playlists and "
                      "tracks added since.")
    return f"{first} The curves and the table show the model in use."


def _no_vector_words(ways: NoVectorWays, audio: str, blocked: str | None) -> str:
    """The window's sentences for the tracks with no ``audio`` vector and their way out, as
    ``stats`` says them: Compute embeddings with the graph's model; after a switch of the
    library's model, Retrain on its vectors (or why Retrain cannot yet), or Compute
    embeddings then Retrain; none for tracks without an audio file."""
    library = printable(ways.switched_to) if ways.switched_to else None
    said = []
    if library is None and (k := ways.embed):
        family = family_named(audio)
        said.append(f"{counted(k, 'track')} {noun(k, 'has', 'have')} no {audio} vector: "
                    f"Compute embeddings with Audio model ▸ {family.label if family else audio}"
                    f" gives {noun(k, 'it', 'them')} one and a graph vector.")
    if library is not None and (k := ways.train + ways.embed + ways.none):
        said.append(f"{counted(k, 'track')} {noun(k, 'has', 'have')} no {audio} vector, and "
                    f"the library now uses {library}.")
    if library is not None and (k := ways.train):
        them = graph_vectors_given(k, ways.train + ways.embed + ways.none)
        said.append(f"A training on its {library} vectors would give {them}, but {blocked}."
                    if blocked else f"Press Retrain to train on its {library} vectors and "
                    f"give {them}.")
    if library is not None and (k := ways.embed):
        family = family_named(ways.switched_to or "")
        said.append(f"{counted(k, 'track')} {noun(k, 'needs its', 'need their')} {library} "
                    f"{noun(k, 'vector', 'vectors')} first: Compute embeddings with Audio "
                    f"model ▸ {family.label if family else library}, then Retrain.")
    if k := ways.none:
        said.append(f"{counted(k, 'track')} without an audio file {noun(k, 'has', 'have')} no "
                    f"{library or audio} vector, which no embedding can make: no graph vector.")
    return " ".join(said)


def left_out_words(n: int, audio: object) -> str:
    """The tracks training left out for a damaged vector no embed can mend, and why: the
    dock's model line and ``stats`` say it in the same words."""
    its = noun(n, "its", "their")
    return (f"{counted(n, 'track')} left out of training: {its} stored {audio} "
            f"{noun(n, 'vector is', 'vectors are')} damaged and {its} audio cannot be analysed "
            "again")


def damage_effect(problem: str) -> str:
    """What a current graph model whose files are damaged (``problem``:
    :func:`~musicsage.usecases.models.files_problem`'s words) still does until a new one is
    trained, for ``stats`` and the dock's model line. Its vectors whole, only model.pt
    damaged or gone, the lists and the map still use them (the search checks the vectors):
    ``stats`` said "searches use audio alone" while ``similar`` and the window listed the
    graph model's neighbours, and the dock called it a model that "has seen every track"."""
    if unreadable(problem):  # no damage: a retrain would not mend its permissions
        return ("its saved vectors still give the graph lists and the map, but tracks added "
                "since get no graph vector until musicsage may read model.pt again")
    if problem.startswith("model.pt"):
        return ("its saved vectors still give the graph lists and the map, but tracks added "
                "since get no graph vector until a retrain")
    return "searches use audio alone until a retrain"
