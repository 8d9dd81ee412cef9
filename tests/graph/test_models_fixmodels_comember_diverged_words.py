"""The co-member view's vectors NaN or infinite end a training with one line that the
command line prints and the window shows as it is (the Training dock, its notification
through ``window_note``). It said "train again, or with --set comember=false": a window user
has no --set, and Retrain trains the view again with the same defaults. It now says, as the
model's own "training diverged" line does, that the setting is the command line's."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import MusicsageError


def _diverged_line() -> str:
    import torch

    from musicsage.graph.build import ContextGraph
    from musicsage.graph.comember import CoMemberEncoder

    encoder = CoMemberEncoder(in_dim=4, n_contexts=1, dim=8)
    with torch.no_grad():
        encoder.mlp[0].weight.fill_(float("nan"))  # what a diverged run leaves
    graph = ContextGraph.from_edges(3, np.zeros(1, np.int8), np.array(["playlist:1"], object),
                                    np.array([[0, 0], [1, 0], [2, 0]], np.int64))
    with pytest.raises(MusicsageError) as caught:
        encoder.vectors(np.ones((3, 4), np.float32), graph)
    return str(caught.value)


def test_the_window_is_told_the_setting_is_the_command_lines():
    from musicsage.controllers.wording import window_note

    line = _diverged_line()
    assert line.startswith("training diverged: the co-member view's vectors hold NaN or "
                           "infinite values"), line
    assert len(line.splitlines()) == 1
    for shown in (line, window_note(line)):
        assert ("(--set comember=false on the command line: the window's Retrain has no such "
                "setting)") in shown, shown
