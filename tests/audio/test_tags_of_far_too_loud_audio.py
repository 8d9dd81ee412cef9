"""``tags`` of a float file whose samples are far out of range (1e30 where audio stays within
±1): MusiCNN's answer overflows to NaN, and ``tags`` printed every tag as ``nan``, ``--json``
wrote ``"p": NaN`` (no JSON) and ``tags --library`` kept those NaN as the track's tags. It is
refused in one line, and ``tags --library`` counts it as failed, keeping nothing for it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from musicsage.cli import main


def _far_too_loud(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(16000 * 2) / 16000
    sf.write(path, (np.sin(2 * np.pi * 440 * t) * 1e30).astype(np.float32), 16000,
             subtype="FLOAT")
    return path


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for: its answer carries the patches' non-finite values, as the real
    network's sigmoid of an overflowed sum does."""
    import torch

    import musicsage.audio.musicnn.network as network

    class Net:
        labels = ["rock", "jazz"]
        module = None

    def run_network(_module, patches):
        tags = torch.tensor(np.tile([[0.9, 0.1]], (len(patches), 1)))
        return {"taggram": tags + 0 * torch.as_tensor(patches).sum()}

    monkeypatch.setattr(network, "load_network", lambda *a, **kw: Net())
    monkeypatch.setattr(network, "run_network", run_network)


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_tags_of_a_far_too_loud_file_is_one_line(tmp_path, data_dir, capsys, tagger,
                                                 json_flag):
    clip = _far_too_loud(tmp_path / "loud.wav")
    code = main(["tags", str(clip), *json_flag, "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith(f"musicsage tags: {clip} cannot be tagged: its samples are far out "
                          "of range") and err.count("\n") == 1


def test_tags_library_keeps_nothing_for_it(ctx, tmp_path, capsys, tagger):
    music = tmp_path / "music"
    data = ["--data-dir", str(ctx.data_dir)]
    _far_too_loud(music / "loud.wav")
    assert main(["scan", str(music), "--json", *data]) == 0
    capsys.readouterr()
    for _ in range(2):  # nothing kept: tried again, failed again
        assert main(["tags", "--library", "--json", *data]) == 0
        report = json.loads(capsys.readouterr().out)
        assert (report["tagged"], report["known"], len(report["failed"])) == (0, 0, 1)


def test_it_is_refused_before_the_network_whatever_the_network_answers(
        tmp_path, data_dir, capsys, monkeypatch):
    """A network that does not carry NaN through (one that clamps, say) gave confident tags
    for the overflowed patches: they are checked before the network runs."""
    import torch

    import musicsage.audio.musicnn.network as network

    class Net:
        labels = ["rock", "jazz"]
        module = None

    ran = []
    monkeypatch.setattr(network, "load_network", lambda *a, **kw: Net())
    monkeypatch.setattr(network, "run_network", lambda _module, patches: ran.append(1) or {
        "taggram": torch.tensor(np.tile([[0.9, 0.1]], (len(patches), 1)))})
    clip = _far_too_loud(tmp_path / "loud.wav")

    code = main(["tags", str(clip), "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()

    assert (code, out, ran) == (1, "", [])
    assert err.startswith(f"musicsage tags: {clip} cannot be tagged: its samples are far out "
                          "of range") and err.count("\n") == 1


def test_it_is_refused_before_the_weights_are_loaded(tmp_path, data_dir, capsys, monkeypatch):
    """On a fresh install ``tags loud.wav`` downloaded MusiCNN's weights, then refused the
    file: it is refused before the network is loaded."""
    import musicsage.audio.musicnn.network as network

    def load_network(*_a, **_kw):
        raise AssertionError("the network was loaded (its weights maybe downloaded)")

    monkeypatch.setattr(network, "load_network", load_network)
    clip = _far_too_loud(tmp_path / "loud.wav")

    code = main(["tags", str(clip), "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()

    assert (code, out) == (1, "")
    assert err.startswith(f"musicsage tags: {clip} cannot be tagged: its samples are far out "
                          "of range") and err.count("\n") == 1
