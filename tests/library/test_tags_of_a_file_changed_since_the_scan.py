"""Tags computed from a file that changed on disk since the scan (re-encoded, replaced by
another recording under the same name; no rescan yet): they were kept under the content hash
the library had of the file as it was, so every copy of that old file was said to have the
new file's tags ("why" named tags the copy never had), and the rescan that gave the file its
new hash tagged it all over again. They are now kept under the hash of the file's new
content (with its size and mtime as it is now)."""

from __future__ import annotations

import os
import shutil

import pytest
from library_audio import write_audio
from scan_support import scan

from musicsage.library.db import connect
from musicsage.library.relations import track_facts
from musicsage.usecases.tags import tag_library, track_tags_of


def _ids(ctx) -> dict[str, int]:
    facts = track_facts(connect(ctx), [1, 2])
    return {os.path.basename(f["path"]): int(t) for t, f in facts.items()}


@pytest.fixture
def changed_with_copy(ctx, tmp_path) -> tuple[dict[str, int], int]:
    """``(ids, old_size)``: a.wav and copy.wav (one content) scanned, then a.wav replaced by
    other music and not scanned again; old_size is the size both had at the scan."""
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    shutil.copyfile(music / "a.wav", music / "copy.wav")  # the same content: one hash
    old_size = os.path.getsize(music / "a.wav")
    scan(ctx, music)
    ids = _ids(ctx)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    return ids, old_size


def test_a_copy_keeps_its_own_tags_when_the_other_file_changed(ctx, tmp_path, tagger,
                                                              changed_with_copy):
    ids, old_size = changed_with_copy
    new_size = os.path.getsize(tmp_path / "music" / "a.wav")

    assert track_tags_of(ctx, ids["a.wav"], top=1)[0].tag == f"size {new_size}"
    assert track_tags_of(ctx, ids["copy.wav"], top=1)[0].tag == f"size {old_size}"
    assert tagger == ["a.wav", "copy.wav"]


def test_the_rescan_of_a_changed_file_finds_its_tags_current(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    scan(ctx, music)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    assert tag_library(ctx).tagged == 1 and tagger == ["a.wav"]
    tagger.clear()

    scan(ctx, music)  # the library now knows the new content

    report = tag_library(ctx)
    assert (report.tagged, report.known, tagger) == (0, 1, [])
    assert track_tags_of(ctx, 1, top=1)[0].tag == f"size {os.path.getsize(music / 'a.wav')}"


def test_a_changed_file_is_tagged_once_not_on_every_selection_and_run(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    scan(ctx, music)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again

    for _ in range(3):  # selected three times in the window
        assert track_tags_of(ctx, 1, top=1)[0].tag == f"size {os.path.getsize(music / 'a.wav')}"
    first, second = tag_library(ctx), tag_library(ctx)

    assert tagger == ["a.wav"]
    assert (first.tagged, first.known, second.tagged, second.known) == (0, 1, 0, 1)


def test_a_changed_file_is_not_given_the_tags_of_its_old_content(ctx, tmp_path, tagger,
                                                                 changed_with_copy):
    ids, old_size = changed_with_copy
    music = tmp_path / "music"

    assert track_tags_of(ctx, ids["copy.wav"], top=1)[0].tag == f"size {old_size}"
    assert track_tags_of(ctx, ids["a.wav"], top=1)[0].tag == \
        f"size {os.path.getsize(music / 'a.wav')}"
    assert tagger == ["copy.wav", "a.wav"]


def test_why_names_the_changed_files_new_tags_not_its_copys_old_ones(ctx, tmp_path, tagger,
                                                                     changed_with_copy):
    from musicsage.usecases.search import cached_tags_of

    ids, old_size = changed_with_copy
    music = tmp_path / "music"
    os.utime(music / "a.wav", ns=(os.stat(music / "a.wav").st_mtime_ns + 10**9,) * 2)
    tag_library(ctx)

    why = cached_tags_of(ctx)(track_facts(connect(ctx), [1, 2]))  # the library's facts

    assert why[ids["a.wav"]][0][0] == f"size {os.path.getsize(music / 'a.wav')}"
    assert why[ids["copy.wav"]][0][0] == f"size {old_size}"


def test_a_file_changed_after_it_was_tagged_is_tagged_again(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    scan(ctx, music)
    assert tag_library(ctx).tagged == 1
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    os.utime(music / "a.wav", ns=(os.stat(music / "a.wav").st_mtime_ns + 10**9,) * 2)

    assert tag_library(ctx).tagged == 1
    assert tagger == ["a.wav", "a.wav"]
