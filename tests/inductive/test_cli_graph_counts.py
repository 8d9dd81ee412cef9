"""What ``embed`` and ``train`` say of the tracks the graph model did not see.

``embed`` said "5 tracks not seen in training embedded by the saved model" of a run that
added one track: every run computes again the vectors of the tracks it placed before, and
it counted those too; it counts the tracks placed now (``new_vectors``). ``train``, run while
``embed`` had done part of the library, trained on the tracks done and never said so."""

from __future__ import annotations

import json
import re

from new_music_support import new_music

from musicsage import cli
from musicsage.usecases.library import scan_library
from musicsage.context import library_option


def run(capsys, ctx, *args: str) -> str:
    assert cli.main([*args, "--data-dir", str(ctx.data_dir)]) == 0
    return capsys.readouterr().out


def test_embed_counts_the_tracks_placed_now_not_those_placed_again(trained, add_music,
                                                                   trained_template, tmp_path,
                                                                   capsys):
    ctx = trained
    first = add_music(ctx, n=2)
    out = run(capsys, ctx, "embed", "--model", "spectral", "--threads", "1")
    assert re.search(r"^graph model \d+: the saved model placed 2 tracks not seen in training "
                     r"\(\d+\.\d s\)$", out, re.M), out
    music, _ = new_music(tmp_path / "more", trained_template[1], n=len(first) + 1)
    for copy in sorted(music.rglob("*.flac"), key=lambda p: p.name)[:-1]:
        copy.unlink()  # the first batch's tracks again: one new track is left
    assert scan_library(ctx, [str(music)]).added == 1
    out = run(capsys, ctx, "embed", "--model", "spectral", "--threads", "1")
    assert re.search(r"^graph model \d+: the saved model placed 1 track not seen in training, "
                     r"and again the 2 it placed before \(\d+\.\d s\)$", out, re.M), out


def test_train_says_how_many_tracks_it_left_out_for_want_of_an_audio_vector(trained, add_music,
                                                                           capsys):
    ctx = trained
    add_music(ctx, n=3)  # scanned, not embedded yet
    out = run(capsys, ctx, "train", "--max-steps", "5")
    assert ("note: 3 tracks have no audio embedding yet (left out; run `musicsage "
            f"{library_option(ctx.data_dir)}embed`)") in out.splitlines(), out
    assert json.loads(run(capsys, ctx, "train", "--max-steps", "5", "--audio-model",
                          "spectral", "--json"))["no_audio_embedding"] == 3
    run(capsys, ctx, "embed", "--model", "spectral", "--threads", "1")
    out = run(capsys, ctx, "train", "--max-steps", "5", "--audio-model", "spectral")
    assert "no audio embedding" not in out, out


def test_the_placed_line_for_each_mix_of_new_and_again():
    from musicsage.commands.library import _placed_text
    from musicsage.usecases.inductive import InductiveReport

    def line(embedded, new):
        return _placed_text(InductiveReport(3, unseen=embedded, embedded=embedded,
                                            new_vectors=new, seconds=1.25))

    assert line(1, 1) == ("graph model 3: the saved model placed 1 track not seen in training "
                          "(1.2 s)")
    assert line(5, 1) == ("graph model 3: the saved model placed 1 track not seen in training, "
                          "and again the 4 it placed before (1.2 s)")
    assert line(2, 0) == ("graph model 3: the saved model placed again the 2 tracks not seen in "
                          "training it placed before (1.2 s)")
