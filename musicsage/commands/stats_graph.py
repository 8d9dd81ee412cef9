"""``stats``' graph model line: which model is current, its HR@10, whether its files are
damaged or it learned nothing, and what it did not see in training. Apart from the library
commands (commands/library.py) for room; ``stats`` alone prints it."""

from __future__ import annotations

from musicsage.commands.told_commands import on_library
from musicsage.context import AppContext
from musicsage.text import counted, noun, printable


def graph_model_line(ctx: AppContext, graph_model: dict | None) -> str:
    """:func:`_model_words`, the commands it tells naming the library ``stats`` ran on: the
    line goes to stdout, which is never rewritten (it holds the user's names)."""
    return on_library(_model_words(ctx, graph_model))


def _model_words(ctx: AppContext, graph_model: dict | None) -> str:
    """The line for :func:`~musicsage.usecases.library.library_stats`' ``graph_model``
    summary (None: no model). A model that learned nothing is said to, in ``train``'s words,
    without the HR@10 its untrained weights scored: "HR@10 1.000 (1 pair: …)" read as a
    model that works, while ``train`` had said it learned nothing."""
    from musicsage.graph.saved_numbers import graph_figure
    from musicsage.usecases.models import few_pairs, older_protocol

    g = graph_model
    if g is None:
        return "graph      no trained model"
    model = f"graph      model {g['id']} on {printable(g['audio_model'])}"
    if g.get("problem"):  # as `models` says it, and what still works (damage_effect)
        from musicsage.controllers.evaluation import damage_effect
        from musicsage.usecases.kept_model import problem_word

        word = problem_word(g["problem"])
        fix = "" if word == "UNREADABLE" else " (`musicsage train`)"
        return (f"{model} is {word}: {printable(g['problem'])}; "
                f"{damage_effect(g['problem'])}{fix}")
    if _learned_nothing(ctx, g):
        from musicsage.usecases.model_metrics import (KEPT_UNTRAINED, LEARNED_NOTHING,
                                                      MORE_TO_LEARN_FROM, NO_LOSS)

        return (f"{model} {LEARNED_NOTHING}: it {KEPT_UNTRAINED} ({NO_LOSS}); "
                f"{MORE_TO_LEARN_FROM}, then train again (`musicsage train`){unseen_text(g)}")
    metrics = g.get("metrics") or {}
    hr10 = graph_figure(metrics, "hr@10")
    extra = f", HR@10 {hr10:.3f}" if hr10 is not None else ""  # 1e400, NaN: none shown
    if extra and older_protocol(metrics):  # as `models` marks it: ties counted for the model
        # beside the figure it marks: after "(2 pairs: …)" it read as said of the pairs
        extra += " by an older evaluation, not comparable: retrain to re-evaluate"
    if extra and (few := few_pairs(metrics)) is not None:  # as `eval` notes it
        extra += f" ({counted(few, 'pair')}: too few to mean much)"
    return f"{model}{extra}{unseen_text(g)}"


def _learned_nothing(ctx: AppContext, graph_model: dict) -> bool:
    """Whether the summary's model is known to have learned nothing: its saved ``params``
    say so (the summary carries its metrics only; a ``--holdout 0`` run has no notes)."""
    from musicsage.usecases.model_metrics import learned_nothing_saved
    from musicsage.usecases.training import current_graph_model

    info = current_graph_model(ctx)
    return info is not None and info.id == graph_model.get("id") and \
        learned_nothing_saved(info)


def unseen_text(graph_model: dict) -> str:
    """``stats``' words for what :func:`~musicsage.usecases.library.seen_in_training` tells of
    the tracks the graph model did not see in training: those with a vector of its audio model
    it did not train on, and those with none (embedded with another model since, or never:
    they have no graph vector either), each with the way out that
    :class:`~musicsage.usecases.embedding.NoVectorWays` decides (the window words it too)."""
    from musicsage.controllers.evaluation import left_out_words
    from musicsage.usecases.library import seen_in_training

    told = seen_in_training(graph_model)
    unseen = told.unseen
    audio = printable(str(graph_model.get("audio_model")))
    text = ""
    if unseen:
        text += (f"; {counted(unseen, 'track')} not seen in training ({told.inductive} with "
                 f"vectors from the saved model; retrain to learn from "
                 f"{noun(unseen, 'it', 'them')})")
    text += _no_vector_text(graph_model, audio)
    if left_out := graph_model.get("left_out"):  # not "seen"; no embed gives them a vector
        text += f"; {left_out_words(left_out, audio)}"
    if told.none_with_vector:
        text += "; no track of the library has a " + audio + " vector"
    elif told.all_seen:
        text += "; every track seen in training"
    return text


def _no_vector_text(graph_model: dict, audio: str) -> str:
    """``stats``' words for the tracks without an ``audio`` vector and their way out: an
    ``embed`` with the graph's model; after a switch of the library's audio model, a
    training on its vectors, or an ``embed`` then a training; none without an audio file."""
    from musicsage.usecases.embedding import NoVectorWays, way_out_words

    ways = NoVectorWays.of(graph_model)
    if ways.switched_to is not None:
        n = ways.train + ways.embed + ways.none
        return (f"; {counted(n, 'track')} {noun(n, 'has', 'have')} no {audio} vector, and the "
                f"library now uses {printable(ways.switched_to)}: "
                + printable(way_out_words(ways, n, "`musicsage train`", "`musicsage embed`"))
                if n else "")
    text = ""
    if ways.embed:
        n = ways.embed
        text += (f"; {counted(n, 'track')} {noun(n, 'has', 'have')} no {audio} vector: "
                 f"`musicsage embed --model {audio}` gives {noun(n, 'it', 'them')} one and a "
                 "graph vector")
    if ways.none:
        text += (f"; {counted(ways.none, 'track')} without an audio file "
                 f"{noun(ways.none, 'has', 'have')} no {audio} vector, which no embed can "
                 "make: this model gives them no graph vector")
    return text
