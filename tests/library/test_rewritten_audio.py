"""An audio file rewritten in place (same path, other content) after it was embedded: the
next scan calls it changed and ``embed`` computes its vector again — also when its track came
from a dataset dir (``export`` → ``import``) and no scan had recorded the file yet, where the
first scan used to keep the imported vector of the old content for good."""

from __future__ import annotations

import numpy as np
from rewrite_support import FREQS, library, rewrite, run, vectors

from musicsage.context import AppContext
from musicsage.usecases.library import scan_library


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
