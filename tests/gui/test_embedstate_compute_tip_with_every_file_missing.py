"""Compute embeddings' tooltip of a library whose every audio file is missing (task embedstate).

With every file gone (a drive unplugged, a folder moved away) ``embed`` says "nothing to embed:
2 tracks' audio files are missing (a drive unplugged?)", yet the window's Compute embeddings
said "Nothing to compute: every track already has its embeddings with spectral" — untrue of
the tracks whose files are gone, one of which never had a vector. Both now say the same.
With only some files missing (a second drive, scanned once and unplugged before its tracks were
analysed), the tooltip said the same untruth beside ``embed``'s "every track with an audio file
has a spectral vector": both say that, and how many files are missing.
"""

from __future__ import annotations

import shutil

import numpy as np
import soundfile as sf

from musicsage.cli import main
from musicsage.gui.library_enabling import nothing_to_embed
from musicsage.usecases.snapshot import load_snapshot


def _library(ctx, tmp_path, capsys):
    """Two analysed tones, then their folder moved away and rescanned: both missing."""
    music = tmp_path / "music"
    music.mkdir()
    t = np.arange(22050) / 22050
    for i, hz in enumerate((330, 550)):
        sf.write(music / f"tone{i}.wav", (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32),
                 22050)
    data = ["--data-dir", str(ctx.data_dir)]
    assert main(["scan", str(music), *data]) == 0
    assert main(["embed", "--model", "spectral", *data]) == 0
    shutil.move(music, tmp_path / "away")
    main(["scan", *data])  # its folder is not found: its tracks are marked missing
    capsys.readouterr()
    return data


def test_the_tooltip_says_the_files_are_missing_as_embed_does(ctx, tmp_path, capsys):
    data = _library(ctx, tmp_path, capsys)
    snap = load_snapshot(ctx)
    assert (snap.stats.tracks.present, snap.stats.tracks.missing) == (0, 2)
    tip = nothing_to_embed(snap, None)
    assert tip == "Nothing to compute: 2 tracks' audio files are missing (a drive unplugged?)"
    assert "already has its embeddings" not in tip
    assert main(["embed", *data]) == 0
    said = capsys.readouterr().out.strip()
    assert said == "nothing to embed: 2 tracks' audio files are missing (a drive unplugged?)"


def test_an_analysed_library_with_its_files_here_still_says_nothing_to_compute(
        ctx, tmp_path, capsys):
    """The files put back: every track has its vector, and the tooltip says so as before."""
    _library(ctx, tmp_path, capsys)
    shutil.move(tmp_path / "away", tmp_path / "music")
    assert main(["scan", "--data-dir", str(ctx.data_dir)]) == 0
    tip = nothing_to_embed(load_snapshot(ctx), None)
    assert tip == "Nothing to compute: every track already has its embeddings with spectral"


def test_with_some_files_missing_the_tooltip_says_embeds_words_and_the_missing_ones(
        ctx, tmp_path, capsys):
    """Two analysed tones here; a third, on a drive scanned once and unplugged before it was
    analysed, missing: it has no vector, so "every track already has its embeddings" is
    untrue of it."""
    data = _library(ctx, tmp_path, capsys)
    shutil.move(tmp_path / "away", tmp_path / "music")
    other = tmp_path / "other"
    other.mkdir()
    t = np.arange(22050) / 22050
    sf.write(other / "late.wav", (0.3 * np.sin(2 * np.pi * 770 * t)).astype(np.float32), 22050)
    assert main(["scan", str(other), *data]) == 0
    shutil.move(other, tmp_path / "unplugged")
    main(["scan", *data])  # the late track is marked missing, never analysed
    capsys.readouterr()
    snap = load_snapshot(ctx)
    assert (snap.stats.tracks.present, snap.stats.tracks.missing) == (2, 1)
    words = ("every track with an audio file has a spectral vector; 1 track's audio file is "
             "missing (a drive unplugged?)")
    assert nothing_to_embed(snap, None) == "Nothing to compute: " + words
    assert main(["embed", *data]) == 0
    assert capsys.readouterr().out.strip() == "nothing to embed: " + words
