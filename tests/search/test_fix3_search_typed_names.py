"""What a typed QUERY names when a file of that name is on disk: a word beside a notes file
of that name is still text; a path spelled in another letter case on a case-insensitive FUSE
mount is the track's file; ``--select FILE`` selects the library's identical copy."""

from __future__ import annotations

import os
import shutil

import numpy as np
import soundfile as sf
from search_helpers import run_cli


def _song(path, tone: float, seconds: int = 2, rate: int = 22050) -> None:
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    sf.write(path, x, rate, subtype="PCM_16")


def _ids(ctx, music) -> dict[str, int]:
    from musicsage.library.db import connect

    return {os.path.relpath(p, music): int(t)
            for t, p in connect(ctx).execute("SELECT id, path FROM tracks")}


def test_a_word_beside_a_notes_file_of_that_name_is_still_text(capsys, ctx, tmp_path,
                                                                monkeypatch):
    """``similar brahms`` in a folder holding a notes file ``brahms`` said "brahms is not in
    the library": brahms_hungarian_dance_5.wav, found by its name, was no longer."""
    from musicsage.usecases.search import resolve_query

    music = tmp_path / "music"
    music.mkdir()
    _song(music / "brahms_hungarian_dance_5.wav", 220)
    _song(music / "other.wav", 440, seconds=3)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    ids = _ids(ctx, music)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "brahms").write_text("to listen: brahms, dvorak\n")
    monkeypatch.chdir(notes)
    for copies in (True, False):  # similar; suggest --add
        assert resolve_query(ctx, "brahms", copies=copies) == ids["brahms_hungarian_dance_5.wav"]


def test_a_path_in_another_letter_case_on_a_case_insensitive_mount(capsys, ctx, tmp_path,
                                                                    monkeypatch):
    """exfat-fuse finds ``song.wav`` for the stick's ``Song.wav`` and gives that spelling its
    own inode: samefile says no, and the track was "not in the library". Emulated: the
    lower-case spelling is there (lexists) but not listed in its folder, and stat of it fails
    (no inode in common)."""
    from musicsage.usecases.search import resolve_query

    stick = tmp_path / "stick" / "Music"
    stick.mkdir(parents=True)
    _song(stick / "Song.wav", 220)
    _song(stick / "Other.wav", 330, seconds=3)
    assert run_cli(capsys, ctx, "scan", str(stick))[0] == 0
    real_lexists = os.path.lexists

    def lexists(path) -> bool:
        path = os.fspath(path)
        if os.path.dirname(path) == str(stick):
            return os.path.basename(path).lower() in {n.lower() for n in os.listdir(stick)}
        return real_lexists(path)

    monkeypatch.setattr(os.path, "lexists", lexists)
    assert resolve_query(ctx, str(stick / "song.wav")) == _ids(ctx, stick)["Song.wav"]


def test_select_file_selects_the_librarys_identical_copy(capsys, ctx, tmp_path):
    """``musicsage --select ~/Downloads/song.wav`` (a copy of a library track): as ``similar``,
    it names the library's copy; the window refused to open."""
    from musicsage.gui.app import first_match

    music = tmp_path / "music"
    music.mkdir()
    _song(music / "song.wav", 220)
    _song(music / "other.wav", 440, seconds=3)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    outside = tmp_path / "Downloads" / "the same song.wav"
    outside.parent.mkdir()
    shutil.copyfile(music / "song.wav", outside)
    assert first_match(ctx, str(outside)) == _ids(ctx, music)["song.wav"]
