"""What the window says about work in progress, in a user's words.

The use cases name their progress stages for the program and the command line ("map:
layout", "scan: listing", "embed musicnn-msd-max_pool"); the status line used to show those
names as they came. This is the one place that turns a stage, or a task's name, into what a
user reads ("Laying out the map…"): the status line, the welcome page's demo build and the
training dock all go through :func:`progress_text`. A stage not listed here shows its own
message, else its name with the first letter capitalised, so a new stage is never blank.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from musicsage.errors import EMBED_HINT, RESCAN_HINT, TRAIN_HINT
from musicsage.graph.reports import DGI_WAY, METRIC_NAMES, NEED_WAYS
from musicsage.graph.saved_numbers import finite_number
from musicsage.text import sentence

if TYPE_CHECKING:
    from musicsage.graph.reports import TrainReport
    from musicsage.progress import Progress

MISSING = "–"
"""A figure that is not there (:func:`format_metric`)."""
PLAYLISTS_RUN = "train-playlists"
"""The stage of the second training run, on the playlists alone, that validation may add
after the first (graph/train.py ``PLAYLISTS_STAGE``, without importing torch for a name)."""
SECOND_RUN = "Run 2 of 2: playlists only"
RUNS_KEY = "Dashed curves: run 2 of 2, on the playlists only. Solid: run 1."
"""The key to the dock's plots while they show two runs."""

STAGE_WORDS = {
    "scan: listing": "Looking for music files",
    "scan": "Reading your music files",
    "scan: counting MP3 lengths": "Checking MP3 lengths stored by an older version",
    "scan: counting AAC and WAV lengths": (
        "Checking AAC and WAV lengths stored by an older version"),
    "scan: reading tags again": "Reading again the tags an older version misread",
    "playlists": "Reading playlists",
    "embed": "Placing every track with the new graph model",
    "graph: new tracks": "Placing new music with the graph model",
    "train": "Training the graph model",
    PLAYLISTS_RUN: f"{SECOND_RUN}, to compare with run 1",
    "co-member": "Learning from the tracks that share playlists",
    "eval": "Testing the graph model",
    "index": "Preparing the search",
    "map: neighbours": "Finding each track's neighbours for the map",
    "map: fuzzy graph": "Preparing the map",
    "map: layout": "Laying out the map",
    "tags": "Tagging tracks",
    "watch": "Watching your music folders",
    "generate": "Composing the demo's music",
    "audio_map": "Drawing the map",
    "map": "Drawing the map",
}
"""Stage → what is happening (the demo build's stages, too)."""

MESSAGE_JARGON = {"co-member": "co-member view: "}
"""The start of a stage's message that names it in docs/model.md's terms, for the command
line ("co-member view: loss 0.41"): the window says the stage in its own words instead."""

STAGE_PREFIXES = {"embed ": "Listening to the tracks", "download ": "Downloading the audio model"}
"""Stages that carry a name after their first word ("embed musicnn-msd-max_pool")."""

TASK_WORDS = {
    "map": "Drawing the map",
    "library": "Reading the library",
    "watch": "Updating the library",
}
"""A task's name → its label, for a task that takes the status line over from another."""

MAP_LABEL = "Drawing the map"
"""The map's computation on the status line (its space is on the toolbar already)."""


def stage_words(stage: str) -> str | None:
    """What ``stage`` means to a user, or None when it is not a known stage."""
    if stage in STAGE_WORDS:
        return STAGE_WORDS[stage]
    return next((words for prefix, words in STAGE_PREFIXES.items()
                 if stage.startswith(prefix)), None)


def task_words(name: str) -> str:
    """The label of a task known by its name only (a task taking the status line over)."""
    return TASK_WORDS.get(name, name)


def progress_text(p: "Progress") -> str:
    """One line for a progress report.

    The demo build's reports are worded already ("Drawing the map (4/6): …"). Otherwise the
    stage's words, then the message when there is one — a file's name, a training step's
    loss, a lock being waited for. A message sent as a stage starts (nothing done yet, of a
    known total) describes its setup — the audio model's full id, "sampling" — and is left
    out: it is for the command line. A message naming a file whose name holds a line break
    (or U+2028) is folded onto one line: it made the status line two lines tall."""
    message = " ".join(p.message.split()) if p.message else p.message  # one line
    message = message.removeprefix(MESSAGE_JARGON.get(p.stage, ""))
    if p.extra.get("demo_label") and message:
        return message
    words = stage_words(p.stage)
    if words is None:
        return message or p.stage[:1].upper() + p.stage[1:]
    setup = p.done == 0 and p.total is not None
    return f"{words}: {message}" if message and not setup else f"{words}…"


COUNTED_PREFIXES = ("embed ",)
"""Stages whose units are tracks of about one cost each, counted on the status line ("47 of
91") with the time left once a few are done: the command line's bar showed both for
embedding, the window only a file's name and a percentage."""


def counted_stage(stage: str) -> bool:
    return stage.startswith(COUNTED_PREFIXES)


def time_left_text(seconds: float) -> str:
    """"about 3 min left" (whole minutes: the pace of tracks of different lengths is no
    finer than that), "less than a minute left", "about 1 h 20 min left"."""
    if seconds < 60:
        return "less than a minute left"
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"about {minutes} min left"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min left" if minutes else f"about {hours} h left"


def counted_text(p: "Progress", seconds_left: float | None) -> str:
    """:func:`progress_text` with the count and, once known, the time left, before the
    file's name (which the status line cuts first): "Listening to the tracks (47 of 91,
    about 2 min left): 06 Forest.ogg". Other stages, or no known total: as it was."""
    text = progress_text(p)
    if not counted_stage(p.stage) or not p.total or p.extra.get("demo_label"):
        return text
    words = stage_words(p.stage) or ""
    count = f"{min(p.done, p.total):,} of {p.total:,}"
    if seconds_left is not None:
        count += f", {time_left_text(seconds_left)}"
    rest = text.removeprefix(words)
    return f"{words} ({count}){rest}"


FIRST_MAP = "Preparing the map's code, first run on this machine only (up to a minute)"
"""The map's stages while umap's numba code compiles (an empty compile cache): the line sat
at "Finding each track's neighbours for the map… 100%" for 40 s."""


def map_progress_text(p: "Progress", *, first: bool) -> str | None:
    """What the map's report ``p`` means once its neighbours are found: umap is loaded (seconds
    on a busy machine) and its graph made, which report nothing — "Preparing the map", or
    :data:`FIRST_MAP` while the code is compiled (``first``). None for the other reports
    (the neighbours' own count, the layout's epochs): the usual words."""
    done = p.stage == "map: neighbours" and bool(p.total) and p.done >= (p.total or 0)
    if p.stage == "map: fuzzy graph" or done:
        return (FIRST_MAP if first else STAGE_WORDS["map: fuzzy graph"]) + "…"
    return None


NO_OUTPUT = "no audio output device"
"""How the audio probe's reason starts when there is nothing to play sound on."""
NO_OUTPUT_FIX = f"{NO_OUTPUT} found (connect one, then restart musicsage)"
"""That reason with what to do, in one wording wherever it is said (the status line, a
greyed control, a refused play: "no audio output device (connect one…" differed)."""


def cannot_play_text(reason: str) -> str:
    """The line for a play refused because nothing can play sound. ``reason`` is the audio
    probe's ("playback disabled: no audio output device (<PortAudio's words>)"): its prefix
    is left out, and a missing device says what to do instead of PortAudio's error, since the
    device is only looked for at start. It names no track: no track can play, and the line,
    said once a session for clicks, stays on the status line while other tracks are clicked
    ("Cannot play 'Song 1'" stood there while the user double-clicked Song 2)."""
    why = reason.removeprefix("playback disabled").lstrip(": ").strip()
    if why.startswith(NO_OUTPUT):
        why = NO_OUTPUT_FIX
    return f"Cannot play tracks: {why or 'playback is disabled'}"


REANALYSIS_HINT = "`musicsage embed` finishes the re-analysis"
"""How :func:`~musicsage.search.similar.other_version_note` ends: in the window, a radio's
note named the command line inside its own. Backticked, so that after ``--data-dir L`` the
command names L (:mod:`musicsage.commands.told_commands`): pasted, it embedded the default."""


WINDOW_HINTS = {TRAIN_HINT: "press Retrain", EMBED_HINT: "use Analyse ▸ Compute embeddings",
                REANALYSIS_HINT: "Analyse ▸ Compute embeddings finishes the re-analysis",
                RESCAN_HINT: "press Rescan",
                **{cli: window for window, cli in NEED_WAYS.values()},
                DGI_WAY: (" (or, on the command line, train with --objective dgi, which needs "
                          "none: the window's Retrain has no such setting)")}
"""What to do, as the window says it, for the hints that the use cases' notes give both front
ends: the Suggestions tab said "Retrain in the window, or musicsage train" in the window; what
training needs (:data:`~musicsage.graph.reports.NEED_WAYS`) the use cases say as the command
line does. ``--objective dgi`` is named as the command line's: a refused Retrain offered it
as if the window had it."""


RETRAIN_ADVICE = "press Retrain to train one on your playlists"
"""What a line that says there is no graph model advises where Retrain can train."""


EMBEDDING_NOW = "being computed now: Analyse ▸ Compute embeddings is running"
"""The embeddings hint while the window computes them: it said "use Analyse ▸ Compute
embeddings" at 50 % of that very run."""


def window_note(note: str, *, embedding: bool = False, train: str | None = None) -> str:
    """A use case's ``note`` (why a list is empty) in the window's words: its hint names the
    window's control, not the command line's; ``embedding``: the window is computing the
    embeddings it lacks, and the hint says so; ``train``: what to do instead of pressing
    Retrain, where the library cannot train
    (:func:`~musicsage.controllers.training.train_advice`)."""
    if embedding:
        note = note.replace(EMBED_HINT, EMBEDDING_NOW)
    if train is not None and train != RETRAIN_ADVICE:
        note = note.replace(TRAIN_HINT, train)
    for hint, words in WINDOW_HINTS.items():
        note = note.replace(hint, words)
    return note


def window_sentence(note: str) -> str:
    """``note`` (a use case's lower-case words) as a whole sentence, capitalised and with its
    full stop, as "No graph model yet." and "No suggestions." beside it: the panels show
    notes as given (the graph note was capitalised there, the audio note beside it was not,
    and only some ended with a stop)."""
    return sentence(note) + ("" if note.endswith((".", "…", "?", "!")) else ".")


NOTE_BUTTONS = {"retrain": ("Retrain", "Train the graph model on your playlists"),
                "embed": ("Compute embeddings", "Analyse the audio of tracks that lack it; "
                          "the graph model then places the new ones")}
"""The button under the empty graph list's note, by what it does: its text and tooltip."""


def graph_note_button(note: str) -> str:
    """What the button under a window ``note`` on an empty graph list does (a key of
    :data:`NOTE_BUTTONS`): "embed" (Compute embeddings) where the note says that gives the
    track(s) a place (``usecases.embedding.unplaced_note``; no audio vectors yet), else
    "retrain": under "… the graph model places new tracks without retraining" the button said
    Retrain. The window acts on this key, never on the words the button shows."""
    embed = WINDOW_HINTS[EMBED_HINT] in note or EMBEDDING_NOW in note
    return "embed" if embed else "retrain"


def no_file_graph_note(note: str) -> bool:
    """Whether a window ``note`` on an empty graph list says its tracks have no file an embed
    can analyse now (a missing file: a rescan once it is back; a track imported from a
    dataset dir without one: nothing to analyse), in the words of
    :func:`~musicsage.usecases.graph_unplaced.no_file_note`: no button helps there. Retrain
    stood under "press Rescan", and a training of minutes places no track without an audio
    vector."""
    from musicsage.usecases.graph_unplaced import DATASET_WORDS

    return any(words in note for words in (RESCAN_HINT, WINDOW_HINTS[RESCAN_HINT],
                                           DATASET_WORDS))


def no_sound_notice(reason: str) -> tuple[str, str]:
    """The status line for the audio probe's ``reason`` (why nothing can play sound), and the
    detail it leaves to its tooltip: the first line ended in PortAudio's own words, "(Error
    querying device -1)", which tell a user nothing. Other reasons (PortAudio missing: what
    to install) are kept whole."""
    why = reason.removeprefix("playback disabled").lstrip(": ").strip()
    if not why.startswith(NO_OUTPUT):
        return reason, ""
    detail = why.removeprefix(NO_OUTPUT).strip().removeprefix("found").strip()
    if detail.startswith("(") and detail.endswith(")"):
        detail = detail[1:-1].strip()
    return (f"Playback disabled: {NO_OUTPUT_FIX}",
            f"The sound system said: {detail}" if detail else "")


EARLY_STOPPING_STAGES = frozenset({"train", PLAYLISTS_RUN})
"""Stages whose total is a step limit, not the work to do: early stopping ends most runs
long before it (3,000 steps at most, over at step 500), so a bar over the limit jumped from
17 % to done. The demo's pretraining ("pretrain") always runs to its limit. The second is
the run on the playlists alone that validation compares with (graph/train.py)."""


def stops_early(p: "Progress") -> bool:
    """Whether ``p`` is a training step whose total is only the most the run may take."""
    return p.stage in EARLY_STOPPING_STAGES and p.extra.get("step") is not None


def step_text(p: "Progress") -> str:
    """A training step's words: "step 500 of 3,000", or, where the run may stop sooner,
    "step 500 (at most 3,000; stops sooner once it stops improving)"."""
    if stops_early(p):
        return f"step {p.done:,} (at most {p.total:,}; stops sooner once it stops improving)"
    return f"step {p.done:,} of {p.total:,}"


# -- a Retrain's result, in a listener's words --------------------------------------------------
CONTEXT_NAMES = {"playlist": "playlists", "album": "albums", "artist": "artists"}
WHICH_CONTEXTS = 'docs/model.md, "Which contexts: chosen on validation"'


def _listed(names: list[str]) -> str:
    return names[0] if len(names) < 2 else f"{', '.join(names[:-1])} and {names[-1]}"


def contexts_words(contexts: Iterable[str], left_out: Iterable[str] = ()) -> str:
    """"playlists, albums and artists" (the types of ``left_out`` not named)."""
    gone = set(left_out)
    return _listed([CONTEXT_NAMES.get(k, f"{k}s") for k in contexts if k not in gone])


@dataclass(frozen=True)
class KeptRun:
    """Which of a Retrain's two runs validation kept, told in the dock's "Kept:" line."""

    run: int
    """0: the run on every context type given; 1: the run on the playlists alone."""
    line: str
    tip: str
    """Why: how validation compared them, where the docs tell more."""


def format_metric(value) -> str:
    """A figure (validation score, evaluation cell) in 3 decimals; undefined (no pairs: null,
    NaN, inf) as :data:`MISSING`, and so is a whole number beyond floats (a hand-edited row's
    401 digits: :func:`finite_number`). One formatter for the "Kept:" line and the evaluation
    table, which had two copies of it."""
    number = finite_number(value)
    return MISSING if number is None else f"{number:.3f}"


def kept_run(report: "TrainReport") -> KeptRun | None:
    """The run validation kept of the two a Retrain trained (None: it trained one): "Kept:
    run 2 (playlists only) — scored 0.729 vs 0.587 on validation". Context types no track
    has are not named: they changed nothing."""
    scores, kept = report.context_scores, ",".join(report.contexts)
    if len(scores) < 2 or kept not in scores:
        return None
    other = next(key for key in scores if key != kept)
    run = 1 if report.dropped_contexts else 0
    ours, theirs = format_metric(scores[kept]), format_metric(scores[other])
    words = contexts_words(report.contexts, report.empty_contexts)
    words = f"{words} only" if run == 1 else words
    line = f"Kept: run {run + 1} ({words}) — scored {ours} vs {theirs} on validation"
    if ours == theirs:
        line += "; on a tie run 1 is kept"
    metric = METRIC_NAMES.get(report.val_metric, report.val_metric)
    tip = (f"Validation compared the two runs: the {metric} of each run's vectors on playlist "
           "memberships set aside from training; the higher is kept. Albums and artists help "
           "where they add to what your playlists say, not where one artist spans very "
           f"different playlists ({WHICH_CONTEXTS}).")
    return KeptRun(run, line, tip)


def blend_text(report: "TrainReport") -> tuple[str, str]:
    """What validation added to the model's vectors, in a listener's words ("" when
    nothing), and docs/model.md's names for it, for a tooltip ("the co-member view",
    "item-kNN's two-hop part")."""
    said, terms = [], []
    if report.comember_weight > 0:
        weight = f"weight {report.comember_weight:g}"
        said.append("It also mixes in a simpler model trained on the tracks that share "
                    f"playlists ({weight}, as validation chose)")
        terms.append(f"the co-member view ({weight})")
    if report.two_hop_gamma > 0:
        weight = f"weight {report.two_hop_gamma:g}"
        shared = contexts_words(report.contexts, report.empty_contexts)
        said.append(f"It also counts the {shared} two tracks share ({weight}, as "
                    "validation chose)")
        terms.append(f"item-kNN's two-hop part ({weight})")
    tip = f"In docs/model.md's terms: {_listed(terms)}." if terms else ""
    return ". ".join(said), tip


# -- the window's names and what its help says --------------------------------------------------

def plain_name(text: str) -> str:
    """An action's or menu's text without its mnemonic marks ("&Retrain" → "Retrain"; a
    doubled "&&" is a literal "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def named_tip(name: str, tip: str, keys: str = "") -> str:
    """A toolbar button's tooltip, its action named first — "Retrain (Ctrl+T) — Train the
    graph model on your current playlists": with the texts dropped from a narrow window's
    toolbar, "Analyse the audio of tracks that lack it" did not say which button it was."""
    name = plain_name(name).rstrip("…. ")
    head = f"{name} ({keys})" if keys else name
    if not tip or tip.rstrip("…. ") == name:  # Qt's tooltip of an action without one
        return head
    return f"{head} — {tip}"


EVAL_SPACES = {"graph": "Graph model", "audio": "Audio only"}
METRIC_TIPS = {
    "hr@10": "Hit rate in the top 10: how often a track hidden from one of its playlists is "
             "among the 10 nearest neighbours of another track of that playlist (0 to 1, "
             "higher is better)",
    "mrr": "Mean reciprocal rank: 1 ÷ the hidden track's place among those neighbours (1st: "
           "1, 2nd: 0.5, 10th: 0.1), averaged over the held-out pairs (higher is better)",
}
"""What the evaluation table's HR@10 and MRR measure, in words (docs/protocol.md)."""


def eval_column_tip(space: str, metric: str) -> str:
    """The tooltip of one column of the training dock's evaluation table."""
    return f"{EVAL_SPACES.get(space, space)}. {METRIC_TIPS.get(metric, metric)}"


ABOUT_LINE = ("Explores your own music library: a map of your tracks, and each track's "
              "neighbours by a graph model learnt from your playlists and by the audio alone.")
ABOUT_DOCS = (("README.md", "the window and the commands"),
              ("docs/cli.md", "every command"),
              ("docs/protocol.md", "how HR@10 and MRR are measured"))
"""The documents Help ▸ About links to, relative to the source tree, where they are."""


def about_docs(root: Path) -> list[tuple[str, str, Path]]:
    """(name, what it says, path) of each of :data:`ABOUT_DOCS` found under ``root`` (an
    installed package may have none)."""
    return [(name, what, root / name) for name, what in ABOUT_DOCS if (root / name).is_file()]


def about_html(version: str, data_dir: str, docs: list[tuple[str, str, str]]) -> str:
    """Help ▸ About musicsage: the version, what it is, the library shown and the documents
    (``docs``: name, what it says, its URL), as rich text with every value escaped."""
    lines = [f"<b>musicsage {html.escape(version)}</b>", html.escape(ABOUT_LINE),
             f"Library: {html.escape(data_dir)}"]
    if docs:
        lines.append("Documentation: " + ", ".join(
            f'<a href="{html.escape(url)}">{html.escape(name)}</a> ({html.escape(what)})'
            for name, what, url in docs))
    return "<p>" + "</p><p>".join(lines) + "</p>"
