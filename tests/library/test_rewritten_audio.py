"""An audio file rewritten in place (same path, other content) after it was embedded: the
next scan calls it changed and ``embed`` computes its vector again — also when its track came
from a dataset dir (``export`` → ``import``) and no scan had recorded the file yet, where the
first scan used to keep the imported vector of the old content for good."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from library_audio import write_audio

from musicsage import cli
from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library

FREQS = {"t0.wav": 220.0, "t1.wav": 330.0, "t2.wav": 440.0}


def run(ctx: AppContext, *args) -> None:
    assert cli.main([*map(str, args), "--data-dir", str(ctx.data_dir)]) == 0


def vectors(ctx: AppContext) -> dict[str, np.ndarray]:
    """File name → its spectral vector."""
    conn = connect(ctx)
    ids, matrix = q.get_embeddings(conn, "spectral")
    names = {t["id"]: Path(t["path"]).name for t in q.all_tracks(conn)}
    return {names[int(t)]: row for t, row in zip(ids, matrix)}


def rewrite(path: Path, freq: float) -> None:
    """Other audio at the same path, of the same size (a WAV of the same length)."""
    size, mtime = path.stat().st_size, path.stat().st_mtime_ns
    write_audio(path, seconds=1.0, freq=freq)
    os.utime(path, ns=(mtime + 10**9, mtime + 10**9))
    assert path.stat().st_size == size


def library(ctx: AppContext, music: Path) -> dict[str, np.ndarray]:
    for name, freq in FREQS.items():
        write_audio(music / name, seconds=1.0, freq=freq)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral")
    return vectors(ctx)


def test_a_file_rewritten_in_place_is_embedded_again(ctx, tmp_path):
    music = tmp_path / "music"
    before = library(ctx, music)
    rewrite(music / "t1.wav", 1000.0)
    run(ctx, "scan")
    run(ctx, "embed")
    after = vectors(ctx)
    assert not np.allclose(after["t1.wav"], before["t1.wav"])
    assert all(np.array_equal(after[n], before[n]) for n in ("t0.wav", "t2.wav"))


def test_an_imported_file_rewritten_before_its_first_scan_is_embedded_again(ctx, tmp_path):
    """t1 rewritten between export and import, t2 after the import: the first scan of the
    imported library calls both changed, and embed gives them the vectors of their new
    content — those the exporting library computes once it scans them again."""
    music = tmp_path / "music"
    library(ctx, music)
    run(ctx, "export", tmp_path / "export")
    rewrite(music / "t1.wav", 1000.0)
    fresh = AppContext.create(tmp_path / "fresh")
    run(fresh, "import", tmp_path / "export")
    rewrite(music / "t2.wav", 1500.0)

    report = scan_library(fresh, [music])

    assert (report.updated, report.unchanged) == (2, 1)
    assert sorted(vectors(fresh)) == ["t0.wav"], "the old content's vectors are gone"
    run(fresh, "embed")
    run(ctx, "scan")  # the exporting library learns of the change its own way
    run(ctx, "embed")
    assert all(np.array_equal(vectors(fresh)[n], vectors(ctx)[n]) for n in FREQS)
    again = scan_library(fresh, [music])
    assert (again.updated, again.unchanged) == (0, 3)


def test_an_import_never_puts_back_the_vector_of_a_files_old_content(ctx, tmp_path, capsys):
    music = tmp_path / "music"
    library(ctx, music)
    run(ctx, "export", tmp_path / "export")
    rewrite(music / "t1.wav", 1000.0)
    run(ctx, "scan")
    run(ctx, "embed")
    current = vectors(ctx)
    capsys.readouterr()

    run(ctx, "import", tmp_path / "export")

    assert "1 file is not the one the exported vectors were made from" in capsys.readouterr().err
    after = vectors(ctx)
    assert all(np.array_equal(after[n], current[n]) for n in FREQS)
