"""What ``tags --library`` counts: a copy of a file it tagged in the same run got its tags
then, so it is "tagged", not "tagged before"; a track whose tags could not be kept (the
cache could not be written) stops the run with the cache's reason, where every track was
tagged (a second each) and its tags thrown away under "could not keep the tags"."""

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


def test_tags_that_cannot_be_kept_stop_the_run_with_the_reason(ctx, tmp_path, tagger,
                                                                monkeypatch, capsys):
    import sqlite3

    import musicsage.library.tag_cache as tag_cache

    for name in ("a.wav", "b.wav", "c.wav"):
        write_audio(tmp_path / "music" / name, seconds=1.0, freq=330 + len(tagger))
        tagger.append(name)
    tagger.clear()
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(tmp_path / "music")]) == 0
    real_open = tag_cache._open
    opened: list[int] = []

    def full_disk_after_the_first(cache_dir):
        conn = real_open(cache_dir)
        opened.append(1)
        if len(tagger) > 1:  # the second track's tags: the disk is full now
            conn.close()
            raise sqlite3.OperationalError("database or disk is full")
        return conn

    monkeypatch.setattr(tag_cache, "_open", full_disk_after_the_first)

    assert main(["--data-dir", str(ctx.data_dir), "tags", "--library"]) == 1

    out, err = capsys.readouterr()
    assert len(tagger) == 2  # stopped at the first that could not be kept, not all three
    assert err.count("\n") == 1 and "cannot keep the tags" in err
    assert "database or disk is full" in err and "run tags --library again" in err


def test_a_cache_that_cannot_be_written_is_refused_before_any_tagging(ctx, tmp_path, tagger,
                                                                    monkeypatch, capsys):
    import sqlite3

    import musicsage.library.tag_cache as tag_cache

    write_audio(tmp_path / "music" / "a.wav", seconds=1.0, freq=330)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(tmp_path / "music")]) == 0
    real_open = tag_cache._open

    def read_only(cache_dir):  # a cache on a read-only disk: SQLite opens it, cannot write
        real_open(cache_dir).close()
        return sqlite3.connect(f"file:{tag_cache.cache_path(cache_dir)}?mode=ro", uri=True,
                               isolation_level=None)

    monkeypatch.setattr(tag_cache, "_open", read_only)

    assert main(["--data-dir", str(ctx.data_dir), "tags", "--library"]) == 1

    _, err = capsys.readouterr()
    assert tagger == [], "refused before a track was tagged for nothing"
    assert err.count("\n") == 1 and "cannot keep the tags" in err and "readonly" in err
    assert "tracks before are kept" not in err
