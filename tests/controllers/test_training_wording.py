"""A Retrain's words in the window: what a music listener understands, not docs/model.md's
names ("the co-member view", "item-kNN's two-hop part"), which stay in tooltips."""

from __future__ import annotations

from musicsage.controllers.summaries import describe_training
from musicsage.controllers.training import RESULT_STAGE, result_report
from musicsage.controllers.wording import PLAYLISTS_RUN, kept_run, progress_text
from musicsage.graph.reports import TrainReport
from musicsage.progress import Progress

JARGON = ("co-member", "two-hop", "item-kNN", "view")


def _report(**changes) -> TrainReport:
    report = TrainReport(metrics=None, steps=50, best_step=50, best_val_hr10=0.1, seconds=3.2,
                         contexts=("playlist", "album", "artist"), objective="infonce")
    for key, value in changes.items():
        setattr(report, key, value)
    return report


def test_what_validation_added_is_said_in_a_listeners_words():
    blended = _report(comember_weight=0.25, two_hop_gamma=0.5)
    text = describe_training(blended)
    assert text == ("Training finished: the new model is in use (50 steps, 3 s). It also mixes "
                    "in a simpler model trained on the tracks that share playlists (weight "
                    "0.25, as validation chose). It also counts the playlists, albums and "
                    "artists two tracks share (weight 0.5, as validation chose).")
    assert not any(word in text for word in JARGON)
    # the docs' terms are still there, for the status line's tooltip
    terms = result_report(blended).extra["terms"]
    assert "the co-member view (weight 0.25)" in terms
    assert "item-kNN's two-hop part (weight 0.5)" in terms
    plain = _report()
    assert describe_training(plain) == "Training finished: the new model is in use (50 steps, 3 s)."
    assert result_report(plain).extra["terms"] == ""


def test_the_choice_between_two_runs_is_one_kept_line():
    chose = _report(contexts=("playlist",), dropped_contexts=("album", "artist"),
                    context_scores={"playlist,album,artist": 0.587, "playlist": 0.729})
    # told by the dock's Kept line, not repeated in the finished message
    assert "validation kept" not in describe_training(chose).lower()
    told = result_report(chose)
    assert told.stage == RESULT_STAGE and told.extra["kept_run"] == 1
    assert told.message == "Kept: run 2 (playlists only) — scored 0.729 vs 0.587 on validation"
    kept_all = _report(empty_contexts=("artist",),
                       context_scores={"playlist,album,artist": 0.6, "playlist": 0.6})
    assert kept_run(kept_all).line == ("Kept: run 1 (playlists and albums) — scored 0.600 vs "
                                       "0.600 on validation; on a tie run 1 is kept")
    assert kept_run(_report()) is None  # one run: nothing chosen
    assert result_report(_report()).message == ""


def test_the_second_runs_and_the_co_member_stages_read_as_words():
    from musicsage.graph.train import PLAYLISTS_STAGE

    assert PLAYLISTS_RUN == PLAYLISTS_STAGE
    assert progress_text(Progress(PLAYLISTS_RUN)).startswith("Run 2 of 2: playlists only")
    text = progress_text(Progress("co-member", 300, 3000, "co-member view: loss 0.412"))
    assert text == "Learning from the tracks that share playlists: loss 0.412"
