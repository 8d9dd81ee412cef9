"""The MusiCNN tag cache keeps a track's tags as the library keeps its embeddings: a file
touched (same content, new mtime) or moved is not tagged again — keyed on the mtime, it was,
seconds a track — while a file whose content changed is."""

from __future__ import annotations

import os
import sqlite3

import pytest
from library_audio import write_audio
from scan_support import scan

from musicsage.library.tag_cache import cache_path, cached_tags
from musicsage.usecases.tags import EXPLAIN_TAG_MODEL, tag_library, track_tags_of


@pytest.fixture
def music(ctx, tmp_path, tagger):
    """Two scanned tracks, tagged."""
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    write_audio(music / "b.wav", seconds=1.5, freq=550)
    scan(ctx, music)
    assert tag_library(ctx).tagged == 2 and sorted(tagger) == ["a.wav", "b.wav"]
    tagger.clear()
    return music


def test_a_touched_file_keeps_its_tags(ctx, music, tagger):
    stat = os.stat(music / "a.wav")
    os.utime(music / "a.wav", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    scan(ctx, music)
    report = tag_library(ctx)
    assert (report.tagged, report.known, tagger) == (0, 2, [])
    assert track_tags_of(ctx, 1, top=1)[0].tag == f"size {stat.st_size}" and tagger == []


def test_a_moved_file_keeps_its_tags(ctx, music, tagger):
    os.rename(music / "b.wav", music / "b moved.wav")
    scan(ctx, music)
    assert (tag_library(ctx).known, tagger) == (2, [])


def test_a_rewritten_file_is_tagged_again(ctx, music, tagger):
    stat = os.stat(music / "a.wav")
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # other content (and size)
    os.utime(music / "a.wav", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    scan(ctx, music)
    assert (tag_library(ctx).tagged, tagger) == (1, ["a.wav"])
    assert track_tags_of(ctx, 1, top=1)[0].tag == f"size {os.path.getsize(music / 'a.wav')}"


def test_a_cache_of_the_older_version_is_read_and_given_hashes(ctx, music, tagger):
    with sqlite3.connect(cache_path(ctx.cache_dir)) as conn:  # as an older version left it
        rows = conn.execute("SELECT path, model, size, mtime_ns, tags FROM track_tags").fetchall()
        conn.execute("DROP TABLE track_tags")
        conn.execute("CREATE TABLE track_tags (path TEXT NOT NULL, model TEXT NOT NULL, size"
                     " INTEGER, mtime_ns INTEGER, tags TEXT NOT NULL, PRIMARY KEY (path, model))")
        conn.executemany("INSERT INTO track_tags VALUES (?, ?, ?, ?, ?)", rows)
    assert (tag_library(ctx).known, tagger) == (2, [])  # read as before: nothing tagged again
    stat = os.stat(music / "b.wav")
    os.utime(music / "b.wav", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    scan(ctx, music)
    assert (tag_library(ctx).known, tagger) == (2, [])


def test_a_track_without_a_hash_is_matched_on_its_stamp(ctx, music):
    from musicsage.library.db import connect
    from musicsage.library.relations import track_facts

    facts = track_facts(connect(ctx), [1, 2])
    assert set(cached_tags(ctx.cache_dir, facts.values(), EXPLAIN_TAG_MODEL)) == {1, 2}
    facts[1]["mtime_ns"] += 1  # no hash to say the content is the same: stale
    assert set(cached_tags(ctx.cache_dir, facts.values(), EXPLAIN_TAG_MODEL)) == {2}
