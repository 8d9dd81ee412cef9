"""tracks.csv's ``content_hash`` is musicsage's own kind of hash, and says so
(``musicsage1:<hex>``). A value of another kind — a sha256 of the whole file, written by
another tool — was compared as if it were ours: the import kept the vectors and the first
scan then called every file rewritten and threw every imported vector away. Such values are
ignored, with a note; ours (labelled, or unlabelled as this version's first exports wrote
them) still catch a file rewritten since the export — also in a library that scanned the
file before it recorded hashes."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import numpy as np
from library_audio import write_audio
from rewrite_support import FREQS, rewrite, run, vectors

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.moves import record_imported_hashes
from musicsage.context import library_option


def edit_hashes(export: Path, value) -> None:
    """Give every row of the export's tracks.csv ``value(row)`` as its content_hash."""
    rows = list(csv.DictReader(open(export / "tracks.csv", encoding="utf-8")))
    for row in rows:
        row["content_hash"] = value(row)
    with open(export / "tracks.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def exported(ctx: AppContext, tmp_path: Path) -> tuple[Path, Path]:
    """The music folder and an export of its library (scanned and embedded)."""
    music = tmp_path / "music"
    for name, freq in FREQS.items():
        write_audio(music / name, seconds=1.0, freq=freq)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral")
    run(ctx, "export", tmp_path / "export")
    return music, tmp_path / "export"


def test_an_export_labels_its_hashes(ctx, tmp_path):
    _, export = exported(ctx, tmp_path)
    values = [r["content_hash"] for r in csv.DictReader(open(export / "tracks.csv"))]
    assert len(values) == 3
    assert all(re.fullmatch(r"musicsage1:[0-9a-f]{32}", v) for v in values), values


def test_hashes_of_another_kind_are_ignored_not_taken_for_rewritten_files(ctx, tmp_path,
                                                                        capsys):
    music, export = exported(ctx, tmp_path)
    edit_hashes(export, lambda row: hashlib.sha256(Path(row["path"]).read_bytes()).hexdigest())
    fresh = AppContext.create(tmp_path / "fresh")
    capsys.readouterr()

    run(fresh, "import", export)

    assert "3 content_hash values not of musicsage's kind were ignored" in \
        capsys.readouterr().err
    run(fresh, "scan", music, "--json")
    report = json.loads(capsys.readouterr().out)
    assert (report["updated"], report["unchanged"]) == (0, 3)
    assert sorted(vectors(fresh)) == sorted(FREQS), "the imported vectors stay"


def test_another_kind_kept_by_an_earlier_import_is_not_compared(ctx, tmp_path, capsys):
    """A library that imported such values before they were checked kept them."""
    music, export = exported(ctx, tmp_path)
    edit_hashes(export, lambda row: "")
    fresh = AppContext.create(tmp_path / "fresh")
    run(fresh, "import", export)
    conn = connect(fresh)
    record_imported_hashes(conn, {t["id"]: "ab" * 32 for t in q.all_tracks(conn)})
    conn.commit()
    capsys.readouterr()

    run(fresh, "scan", music, "--json")

    assert json.loads(capsys.readouterr().out)["unchanged"] == 3
    assert sorted(vectors(fresh)) == sorted(FREQS)


def test_unlabelled_hashes_still_catch_a_file_rewritten_since_the_export(ctx, tmp_path,
                                                                         capsys):
    music, export = exported(ctx, tmp_path)
    edit_hashes(export, lambda row: row["content_hash"].split(":")[-1])
    rewrite(music / "t1.wav", 1000.0)
    fresh = AppContext.create(tmp_path / "fresh")
    run(fresh, "import", export)
    capsys.readouterr()

    run(fresh, "scan", music)

    out = capsys.readouterr().out
    assert "1 changed" in out
    [line] = [n for n in out.splitlines() if "t1.wav" in n]
    assert "rewritten since the export" in line
    assert f"musicsage {library_option(fresh.data_dir)}embed" in line
    assert sorted(vectors(fresh)) == ["t0.wav", "t2.wav"]


def test_a_file_scanned_before_hashes_were_recorded_is_hashed_at_import(ctx, tmp_path,
                                                                         capsys):
    """The importing library scanned the file as it is now (rewritten since the export) but
    holds no hash of it: the import reads it, and keeps the old content's vector out."""
    music, export = exported(ctx, tmp_path)
    rewrite(music / "t1.wav", 1000.0)
    other = AppContext.create(tmp_path / "other")
    run(other, "scan", music)
    conn = connect(other)
    conn.execute("DELETE FROM track_hashes")  # as a library scanned before hashes existed
    conn.commit()
    capsys.readouterr()

    run(other, "import", export)

    assert "1 file is not the one the exported vectors were made from" in \
        capsys.readouterr().err
    assert sorted(vectors(other)) == ["t0.wav", "t2.wav"]
