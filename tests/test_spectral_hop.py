"""``embed --hop`` with the spectral (DSP) model: its frames are fixed (23 ms apart) and
summarised per track, so a hop means nothing to it. It was dropped silently — and kept as the
library's analysis setting, named in notes and exports — while OpenL3 and MusiCNN honour it.
Now it is refused in one line before any work, the same from the window's path (the same
service), and a hop stored by earlier versions is forgotten. No audio is decoded here."""

from __future__ import annotations

import pytest

from musicsage.audio import spectral
from musicsage.audio.embedder import why_no_hop
from musicsage.audio.selection import (AUDIO_MODEL_SETTING, BUDGET_SETTING, _budget,
                                       analysis_behind, embed_library)
from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library import queries as q
from musicsage.library.db import connect


def test_only_the_spectral_model_says_it_has_no_hop():
    assert why_no_hop("spectral") == spectral.NO_HOP and "23 ms" in spectral.NO_HOP
    assert why_no_hop("openl3") is None and why_no_hop("musicnn-msd-max_pool") is None


@pytest.mark.parametrize("hop", [1.0, 0.0])
def test_embed_refuses_a_hop_for_spectral_and_keeps_nothing(ctx, hop):
    """Before: the run went ahead (nothing to do here) and stored ``{"hop": 1.0}`` as the
    library's spectral setting; ``--hop 0`` too, which the docs say is refused."""
    with pytest.raises(MusicsageError, match="^--hop has no effect with the spectral audio "
                                             "model: its frames are fixed") as info:
        embed_library(ctx, "spectral", hop=hop)
    assert "\n" not in str(info.value) and "this embed uses" not in str(info.value)
    assert q.get_setting(connect(ctx), BUDGET_SETTING) is None
    assert q.get_setting(connect(ctx), AUDIO_MODEL_SETTING) is None


def test_a_plain_embed_of_a_spectral_library_says_why_it_is_spectral(ctx):
    """No ``--model``: the library's model was chosen, and the line says so."""
    q.set_setting(connect(ctx), AUDIO_MODEL_SETTING, "spectral")
    with pytest.raises(MusicsageError, match=r"this embed uses spectral: the library's"):
        embed_library(ctx, hop=0.5)


def test_a_hop_stored_by_an_earlier_version_is_forgotten_not_refused(ctx):
    """The window (and a plain ``embed``) pass no hop but the stored one: it must not refuse
    every run, nor be exported as if it had made the vectors; the next run drops it."""
    conn = connect(ctx)
    q.set_setting(conn, BUDGET_SETTING, {"spectral": {"hop": 1, "max_seconds": 2},
                                         "musicnn": {"hop": 1.5}})
    assert _budget(ctx, "spectral", None, None) == (None, 2)
    assert _budget(ctx, "musicnn", None, None) == (1.5, None), "others keep their hop"
    version = spectral.identity(max_seconds=2)[1]
    assert analysis_behind(ctx, "spectral", version) == {"max_seconds": 2}
    rep = embed_library(ctx, "spectral")
    assert (rep.total, rep.model_version) == (0, version)
    assert q.get_setting(conn, BUDGET_SETTING) == {"spectral": {"max_seconds": 2},
                                                   "musicnn": {"hop": 1.5}}


def test_the_command_prints_one_line_and_exits_1(ctx, capsys):
    connect(ctx)
    assert main(["embed", "--data-dir", str(ctx.data_dir), "--model", "spectral",
                 "--hop", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        "musicsage embed: --hop has no effect with the spectral audio model: "
        f"{spectral.NO_HOP}; leave --hop out"]
    assert "Traceback" not in captured.err
