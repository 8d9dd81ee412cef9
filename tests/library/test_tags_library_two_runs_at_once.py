"""Two ``tags --library`` at once (two terminals; or the window tagging the tracks a user
selects meanwhile): each tagged every track it had listed at its start, the other's work
done again — twice the minutes (about a second a track) for the same cache. A track found
tagged when its turn comes is now counted as tagged before, and not tagged again."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.tag_cache import store_tags
from musicsage.usecases.tags import EXPLAIN_TAG_MODEL, _facts, tag_library


@pytest.fixture
def library_of_three(ctx, tmp_path):
    music = tmp_path / "music"
    for name, freq in (("a", 330), ("b", 440), ("c", 550)):
        write_audio(music / f"{name}.wav", seconds=1.0, freq=freq)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    return ctx


def test_a_track_tagged_by_another_run_meanwhile_is_not_tagged_again(library_of_three,
                                                                     monkeypatch):
    import musicsage.audio.musicnn.tagger as tagger_mod

    ctx = library_of_three
    facts = _facts(ctx, [1, 2, 3])
    calls: list[str] = []

    def tag_probabilities(_ctx, fs_path, model, **_kw):
        calls.append(os.path.basename(fs_path))
        if len(calls) == 1:  # meanwhile, another run keeps the tags of the last track
            store_tags(ctx.cache_dir, facts[3], EXPLAIN_TAG_MODEL, [("jazz", 0.5)])
        return [("rock", 0.9)]

    monkeypatch.setattr(tagger_mod, "tag_probabilities", tag_probabilities)

    report = tag_library(ctx)

    assert calls == ["a.wav", "b.wav"]
    assert (report.tagged, report.known, report.failed) == (2, 1, [])
