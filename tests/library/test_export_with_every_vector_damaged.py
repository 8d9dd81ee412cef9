"""``export DIR`` of a library whose every vector of the audio model is damaged (NaN or
infinite values, or cut short): the damaged ones are left out, so it wrote an export of no
track ("exported 0 tracks … features 0×265", exit 0) over the good earlier one in DIR. It is
refused before the folder is touched, saying what mends it."""

from __future__ import annotations

import pytest
from rewrite_support import library

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset


def test_every_vector_damaged_is_refused_and_the_earlier_export_kept(ctx, tmp_path, capsys):
    library(ctx, tmp_path / "music")
    out = tmp_path / "export"
    assert export_dataset(ctx, out).tracks == 3
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    connect(ctx).execute("UPDATE audio_embeddings SET vector = x'0000803f00'")
    capsys.readouterr()

    code = main(["--data-dir", str(ctx.data_dir), "export", str(out)])

    assert code == 1
    assert capsys.readouterr().err == (
        "musicsage export: every spectral vector is damaged (NaN or infinite values, or the "
        "wrong length): run `musicsage embed`, then export again; nothing was written\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


def test_every_vector_damaged_makes_no_folder(ctx, tmp_path):
    library(ctx, tmp_path / "music")
    connect(ctx).execute("UPDATE audio_embeddings SET vector = x'0000803f00'")

    with pytest.raises(MusicsageError, match="every spectral vector is damaged"):
        export_dataset(ctx, tmp_path / "export")
    assert not (tmp_path / "export").exists()
