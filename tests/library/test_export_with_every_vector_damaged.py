"""``export DIR`` of a library whose every vector of the audio model is damaged (NaN or
infinite values, or cut short): the damaged ones are left out, so it wrote an export of no
track ("exported 0 tracks … features 0×265", exit 0) over the good earlier one in DIR. It is
refused before the folder is touched, saying what mends it."""

from __future__ import annotations

import numpy as np
import pytest
from rewrite_support import library

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset
from hints_told_support import as_default


def test_every_vector_damaged_is_refused_and_the_earlier_export_kept(ctx, tmp_path, capsys):
    library(ctx, tmp_path / "music")
    out = tmp_path / "export"
    assert export_dataset(ctx, out).tracks == 3
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    connect(ctx).execute("UPDATE audio_embeddings SET vector = x'0000803f00'")
    capsys.readouterr()

    code = main(["--data-dir", str(ctx.data_dir), "export", str(out)])

    assert code == 1
    assert as_default(capsys.readouterr().err, ctx.data_dir) == (
        "musicsage export: every spectral vector is damaged (NaN or infinite values, or the "
        "wrong length): run `musicsage embed`, then export again; nothing was written\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


def test_every_vector_damaged_makes_no_folder(ctx, tmp_path):
    library(ctx, tmp_path / "music")
    connect(ctx).execute("UPDATE audio_embeddings SET vector = x'0000803f00'")

    with pytest.raises(MusicsageError, match="every spectral vector is damaged"):
        export_dataset(ctx, tmp_path / "export")
    assert not (tmp_path / "export").exists()


def test_every_vector_damaged_of_imported_tracks_says_to_import_their_dir_again(ctx, tmp_path,
                                                                               capsys):
    """Tracks imported without an audio file: ``embed`` cannot analyse them, and "run
    `musicsage embed`" left the export refused as before."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "tracks.csv").write_text("track_id,title\n1,One\n2,Two\n")
    np.save(source / "features.npy", np.eye(2, dtype=np.float32))
    import_dataset(ctx, source)
    connect(ctx).execute("UPDATE audio_embeddings SET vector = x'0000803f00'")
    capsys.readouterr()

    code = main(["--data-dir", str(ctx.data_dir), "export", str(tmp_path / "export")])

    assert code == 1
    assert as_default(capsys.readouterr().err, ctx.data_dir) == (
        "musicsage export: every spectral-dataset vector is damaged (NaN or infinite values, or "
        "the wrong length), all of tracks imported without an audio file (`musicsage embed` "
        "cannot analyse them): import the dataset dir they came from again (`musicsage "
        f"import {source}`), then export again; nothing was written\n")
    assert not (tmp_path / "export").exists()
