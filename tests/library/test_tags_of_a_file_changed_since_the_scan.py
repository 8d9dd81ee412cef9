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

from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.relations import track_facts
from musicsage.usecases.tags import tag_library, track_tags_of


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for: the tags say which content it heard (by the file's size)."""
    import musicsage.audio.musicnn.tagger as tagger_mod

    calls: list[str] = []

    def tag_probabilities(_ctx, fs_path, model, **_kw):
        calls.append(os.path.basename(fs_path))
        return [(f"size {os.path.getsize(fs_path)}", 0.9), ("rock", 0.1)]

    monkeypatch.setattr(tagger_mod, "tag_probabilities", tag_probabilities)
    return calls


def _scan(ctx, music) -> None:
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0


def _ids(ctx) -> dict[str, int]:
    facts = track_facts(connect(ctx), [1, 2])
    return {os.path.basename(f["path"]): int(t) for t, f in facts.items()}


def test_a_copy_keeps_its_own_tags_when_the_other_file_changed(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    shutil.copyfile(music / "a.wav", music / "copy.wav")  # the same content: one hash
    old_size = os.path.getsize(music / "a.wav")
    _scan(ctx, music)
    ids = _ids(ctx)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    new_size = os.path.getsize(music / "a.wav")

    assert track_tags_of(ctx, ids["a.wav"], top=1)[0].tag == f"size {new_size}"
    assert track_tags_of(ctx, ids["copy.wav"], top=1)[0].tag == f"size {old_size}"
    assert tagger == ["a.wav", "copy.wav"]


def test_the_rescan_of_a_changed_file_finds_its_tags_current(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    _scan(ctx, music)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    assert tag_library(ctx).tagged == 1 and tagger == ["a.wav"]
    tagger.clear()

    _scan(ctx, music)  # the library now knows the new content

    report = tag_library(ctx)
    assert (report.tagged, report.known, tagger) == (0, 1, [])
    assert track_tags_of(ctx, 1, top=1)[0].tag == f"size {os.path.getsize(music / 'a.wav')}"


def test_a_changed_file_is_tagged_once_not_on_every_selection_and_run(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    _scan(ctx, music)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again

    for _ in range(3):  # selected three times in the window
        assert track_tags_of(ctx, 1, top=1)[0].tag == f"size {os.path.getsize(music / 'a.wav')}"
    first, second = tag_library(ctx), tag_library(ctx)

    assert tagger == ["a.wav"]
    assert (first.tagged, first.known, second.tagged, second.known) == (0, 1, 0, 1)


def test_a_changed_file_is_not_given_the_tags_of_its_old_content(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    shutil.copyfile(music / "a.wav", music / "copy.wav")  # the same content: one hash
    old_size = os.path.getsize(music / "a.wav")
    _scan(ctx, music)
    ids = _ids(ctx)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again

    assert track_tags_of(ctx, ids["copy.wav"], top=1)[0].tag == f"size {old_size}"
    assert track_tags_of(ctx, ids["a.wav"], top=1)[0].tag == \
        f"size {os.path.getsize(music / 'a.wav')}"
    assert tagger == ["copy.wav", "a.wav"]


def test_why_names_the_changed_files_new_tags_not_its_copys_old_ones(ctx, tmp_path, tagger):
    from musicsage.usecases.search import cached_tags_of

    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    shutil.copyfile(music / "a.wav", music / "copy.wav")  # the same content: one hash
    old_size = os.path.getsize(music / "a.wav")
    _scan(ctx, music)
    ids = _ids(ctx)
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    os.utime(music / "a.wav", ns=(os.stat(music / "a.wav").st_mtime_ns + 10**9,) * 2)
    tag_library(ctx)

    why = cached_tags_of(ctx)(track_facts(connect(ctx), [1, 2]))  # the library's facts

    assert why[ids["a.wav"]][0][0] == f"size {os.path.getsize(music / 'a.wav')}"
    assert why[ids["copy.wav"]][0][0] == f"size {old_size}"


def test_a_file_changed_after_it_was_tagged_is_tagged_again(ctx, tmp_path, tagger):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    _scan(ctx, music)
    assert tag_library(ctx).tagged == 1
    write_audio(music / "a.wav", seconds=2.0, freq=440)  # replaced; not scanned again
    os.utime(music / "a.wav", ns=(os.stat(music / "a.wav").st_mtime_ns + 10**9,) * 2)

    assert tag_library(ctx).tagged == 1
    assert tagger == ["a.wav", "a.wav"]
