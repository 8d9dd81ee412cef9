"""What pressing Compute embeddings says when the files are missing (task fix_embedstate).

With every audio file of the library missing (a drive unplugged, then Rescan), ``embed`` says
"nothing to embed: 2 tracks' audio files are missing (a drive unplugged?)", and so does the
button's tooltip; pressing the button answered "Nothing to compute: every track already has its
embeddings with spectral" — untrue of the tracks whose files are gone. The window's answer now
says what ``embed``'s report says, after the window's own head, from the report's field for it
(not from the end of its sentence); with some files here, as the tooltip does.
"""

from __future__ import annotations

import shutil

import numpy as np
import soundfile as sf

from musicsage.cli import main
from musicsage.controllers.summaries import describe_embed
from musicsage.usecases import pipeline


def _analysed(ctx, tmp_path, capsys) -> list[str]:
    """Two tones scanned and embedded with spectral; the ``--data-dir`` arguments."""
    music = tmp_path / "music"
    music.mkdir()
    t = np.arange(22050) / 22050
    for i, hz in enumerate((330, 550)):
        sf.write(music / f"tone{i}.wav", (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32),
                 22050)
    data = ["--data-dir", str(ctx.data_dir)]
    assert main(["scan", str(music), *data]) == 0
    assert main(["embed", "--model", "spectral", *data]) == 0
    capsys.readouterr()
    return data


def test_every_file_missing_is_said_when_compute_embeddings_is_pressed(ctx, tmp_path, capsys):
    data = _analysed(ctx, tmp_path, capsys)
    shutil.move(tmp_path / "music", tmp_path / "away")
    main(["scan", *data])  # its folder is not found: its tracks are marked missing
    report = pipeline.embed(ctx)
    assert report.nothing_to_do == ("nothing to embed: 2 tracks' audio files are missing "
                                    "(a drive unplugged?)")
    assert describe_embed(report) == ("Nothing to compute: 2 tracks' audio files are missing "
                                      "(a drive unplugged?)")


def test_some_files_missing_are_said_beside_the_tracks_embedded(ctx, tmp_path, capsys):
    """A third tone on a drive scanned once and unplugged before it was analysed."""
    data = _analysed(ctx, tmp_path, capsys)
    other = tmp_path / "other"
    other.mkdir()
    t = np.arange(22050) / 22050
    sf.write(other / "late.wav", (0.3 * np.sin(2 * np.pi * 770 * t)).astype(np.float32), 22050)
    assert main(["scan", str(other), *data]) == 0
    shutil.move(other, tmp_path / "unplugged")
    main(["scan", *data])
    assert describe_embed(pipeline.embed(ctx)) == (
        "Nothing to compute: every track with an audio file has a spectral vector; 1 track's "
        "audio file is missing (a drive unplugged?)")


def test_with_every_file_here_the_answer_is_the_windows_own(ctx, tmp_path, capsys):
    _analysed(ctx, tmp_path, capsys)
    report = pipeline.embed(ctx)
    assert report.nothing_to_do == ("nothing to embed: every track with an audio file has a "
                                    "spectral vector")
    assert describe_embed(report) == ("Nothing to compute: every track already has its "
                                      "embeddings with spectral")
