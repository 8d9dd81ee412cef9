"""What ``tags --library`` counts: a copy of a file it tagged in the same run got its tags
then, so it is "tagged", not "tagged before"; a track whose tags could not be kept (the
cache could not be written) failed, where it was counted as tagged and tagged again on the
next run."""

from __future__ import annotations

import shutil

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.usecases.tags import tag_library


@pytest.fixture
def tagger(monkeypatch):
    import musicsage.audio.musicnn.tagger as tagger_mod

    calls: list[str] = []
    monkeypatch.setattr(tagger_mod, "tag_probabilities",
                        lambda _ctx, fs_path, model, **_kw: calls.append(fs_path) or
                        [("rock", 0.9)])
    return calls


def test_a_copy_tagged_in_the_same_run_counts_as_tagged(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    shutil.copyfile(music / "a.wav", music / "copy.wav")  # the same content: one hash
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0

    report = tag_library(ctx)

    assert len(tagger) == 1  # the copy's tags are the first file's
    assert (report.tagged, report.known, report.failed) == (2, 0, [])


def test_tags_that_could_not_be_kept_are_counted_as_failed(ctx, tmp_path, tagger,
                                                           monkeypatch, capsys):
    import musicsage.library.tag_cache as tag_cache

    write_audio(tmp_path / "music" / "a.wav", seconds=1.0, freq=330)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(tmp_path / "music")]) == 0
    monkeypatch.setattr(tag_cache, "store_tags", lambda *_a, **_k: False)  # a full disk

    assert main(["--data-dir", str(ctx.data_dir), "tags", "--library"]) == 0

    out, err = capsys.readouterr()
    assert "tagged 0 tracks" in out and "1 failed" in out
    assert "a.wav" in err and "could not keep the tags" in err
