"""``tags`` of a silent file, or of one too short to hear, says so in one line: MusiCNN
scores any input, and printed ``rock 0.200`` for silence and ``experimental 0.709`` for a
one-sample file as if it had heard them. ``tags --library`` keeps such a track as having no
tags (not a failure tried again each run; "why" names no tag shared with it), and its count
line says "1 was tagged before", not "1 were"."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio.musicnn.tagger import MIN_TAG_SECONDS, no_tags_reason
from musicsage.cli import main


def _wav(path, samples: np.ndarray, sr: int = 16000):
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, samples.astype(np.float32), sr)
    return path


@pytest.mark.parametrize("samples, words", [
    (np.zeros(16000 * 5), "it is silent (no sample above -60 dBFS)"),
    (np.random.default_rng(0).normal(size=16000 * 5) * 1e-5, "it is silent"),
    (np.array([0.1]), "it is too short (1 sample of audio; tags need at least 0.5 s)"),
    (np.full(3200, 0.2), "it is too short (0.20 s of audio; tags need at least 0.5 s)"),
])
def test_nothing_to_hear_is_one_line_not_tags(tmp_path, data_dir, capsys, samples, words):
    clip = _wav(tmp_path / "clip.wav", samples)
    code = main(["tags", str(clip), "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith(f"musicsage tags: {clip} has no tags: {words}") and err.count("\n") == 1


def test_quiet_music_and_half_a_second_are_tagged():
    t = np.arange(int(16000 * MIN_TAG_SECONDS)) / 16000
    assert no_tags_reason((0.01 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)) is None


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for past the checks that come first (decoding, silence)."""
    import torch

    import musicsage.audio.musicnn.network as network

    class Net:
        labels = ["rock", "jazz"]
        module = None

    def run_network(_module, patches):
        return {"taggram": torch.tensor(np.tile([[0.9, 0.1]], (len(patches), 1)))}

    monkeypatch.setattr(network, "load_network", lambda *a, **kw: Net())
    monkeypatch.setattr(network, "run_network", run_network)


def test_library_keeps_a_silent_track_as_tagged_without_tags(ctx, tmp_path, capsys, tagger):
    from musicsage.usecases.tags import track_tags_of

    music = tmp_path / "music"
    data = ["--data-dir", str(ctx.data_dir)]
    _wav(music / "silence.wav", np.zeros(16000 * 2))  # track 1
    assert main(["scan", str(music), "--json", *data]) == 0
    capsys.readouterr()
    assert main(["tags", "--library", *data]) == 0
    assert capsys.readouterr().out.startswith("tagged 1 track (0 were tagged before, 0 failed")

    t = np.arange(16000 * 2) / 16000
    _wav(music / "tone.wav", 0.3 * np.sin(2 * np.pi * 440 * t))  # track 2
    assert main(["scan", str(music), "--json", *data]) == 0
    capsys.readouterr()
    assert main(["tags", "--library", *data]) == 0
    assert capsys.readouterr().out.startswith("tagged 1 track (1 was tagged before, 0 failed")

    assert main(["tags", "--library", "--json", *data]) == 0  # both kept: nothing to redo
    report = json.loads(capsys.readouterr().out)
    assert (report["tagged"], report["known"], report["failed"]) == (0, 2, [])
    assert track_tags_of(ctx, 1) == []  # the window's tags line: "none"
    assert [t.tag for t in track_tags_of(ctx, 2)] == ["rock", "jazz"]
