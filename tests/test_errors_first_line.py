"""One-line reports of exceptions: what the CLI, the embed report and the loaders show."""

from __future__ import annotations

import pytest
import torch

from musicsage.errors import MusicsageError, first_line, named_first_line
from musicsage.graph.checkpoint import load_checkpoint


def test_first_line_skips_blank_lines_and_names_a_silent_exception():
    assert first_line(ValueError("\n  bad header\nmore detail")) == "bad header"
    assert first_line(RuntimeError()) == "RuntimeError"


def test_named_first_line_names_the_type_once():
    assert named_first_line(OSError("disk gone\ndetail")) == "OSError: disk gone"
    assert named_first_line(RuntimeError()) == "RuntimeError"
    assert named_first_line(KeyError("RuntimeError")) == "KeyError: 'RuntimeError'"


def test_a_checkpoint_whose_weights_fail_without_a_message_is_a_one_line_error(tmp_path,
                                                                             monkeypatch):
    from musicsage.graph import checkpoint
    from musicsage.graph.model import EncoderConfig, PinSageEncoder

    model = PinSageEncoder(EncoderConfig(in_dim=4, n_contexts=2, dim=8, hidden=8, layers=1))
    path = tmp_path / "model.pt"
    torch.save({"format": checkpoint.FORMAT, "version": checkpoint.VERSION,
                "encoder": model.config.to_dict(), "state_dict": model.state_dict(),
                "audio_model": "m", "feature_dim": 4, "contexts": ["playlist"],
                "context_keys": ["p0", "p1"]}, path)

    def silent_failure(self, state, *args, **kwargs):
        raise RuntimeError()  # str() is '': the message must still be one line

    monkeypatch.setattr(PinSageEncoder, "load_state_dict", silent_failure)
    with pytest.raises(MusicsageError, match=r"do not fit this version \(RuntimeError\)"):
        load_checkpoint(path)


@pytest.mark.parametrize("exc, note", [
    (RuntimeError(), "new tracks get no graph vectors: RuntimeError"),
    (OSError("disk gone\ntraceback-ish detail"),
     "new tracks get no graph vectors: OSError: disk gone"),
])
def test_a_failure_of_the_new_track_vectors_is_a_one_line_note_naming_it_once(monkeypatch,
                                                                              exc, note):
    from musicsage.usecases import embedding, inductive

    def failing(ctx, **kwargs):
        raise exc

    monkeypatch.setattr(inductive, "embed_new_tracks", failing)
    report = embedding.graph_vectors_for_new_tracks(object())
    assert report.note == note
