"""A file touched since the scan (same content, new mtime; no rescan yet) keeps its tags:
`tags --library` tagged every touched file again (on 28k tracks, hours of MusiCNN), and a
"why" lookup read each neighbour's file (a sleeping NAS held every list)."""

from __future__ import annotations

import os
import time

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.relations import track_facts
from musicsage.usecases.search import cached_tags_of
from musicsage.usecases.tags import tag_library


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for: the files it tagged, by name."""
    import musicsage.audio.musicnn.tagger as tagger_mod

    calls: list[str] = []
    monkeypatch.setattr(tagger_mod, "tag_probabilities", lambda _ctx, fs_path, model, **_kw:
                        calls.append(os.path.basename(fs_path)) or [("rock", 0.9)])
    return calls


@pytest.fixture
def tagged_library(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    for i in range(3):
        write_audio(music / f"a{i}.wav", seconds=1.0, freq=330 + 50 * i)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    assert tag_library(ctx).tagged == 3
    tagger.clear()
    return music


def test_touched_files_are_not_tagged_again(ctx, tagged_library, tagger):
    later = time.time() + 100
    for i in range(3):
        os.utime(tagged_library / f"a{i}.wav", (later, later))  # touched: the same content

    report = tag_library(ctx)

    assert (report.tagged, report.known, tagger) == (0, 3, [])


def test_why_reads_no_file(ctx, tagged_library, monkeypatch):
    import musicsage.library.probed as probed

    def no_file_access(_fs_path):
        raise AssertionError("a why lookup read a file")

    monkeypatch.setattr(probed, "stored_stamp", no_file_access)
    facts = track_facts(connect(ctx), [1, 2, 3])

    assert sorted(cached_tags_of(ctx)(facts)) == [1, 2, 3]


def test_a_touched_file_is_read_once_not_on_every_run(ctx, tagged_library, monkeypatch):
    import musicsage.library.moves as moves

    real_hash = moves.content_hash
    hashed: list[str] = []
    monkeypatch.setattr(moves, "content_hash", lambda fs_path, size: hashed.append(
        os.path.basename(fs_path)) or real_hash(fs_path, size))
    later = time.time() + 100
    os.utime(tagged_library / "a0.wav", (later, later))  # touched: the same content

    first = tag_library(ctx)
    assert hashed == ["a0.wav"], "only the touched file is read, once"
    hashed.clear()
    second = tag_library(ctx)

    assert hashed == [], "found by its stamp: not read on every run"
    assert (first.tagged, first.known, second.tagged, second.known) == (0, 3, 0, 3)
