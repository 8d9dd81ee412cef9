"""A dataset dir without tracks.csv — never one, or an export stopped in its swap — is refused
by `import` and `train --dataset` in the same words (import said "(no tracks.csv)", train
"tracks.csv is missing"), the line docs/dataset-dir.md quotes for both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from musicsage import cli
from musicsage.files import replaced_together


def _reasons(capsys, d: Path, tmp_path: Path) -> list[str]:
    """What `import` and `train --dataset` say of ``d``, after their `musicsage CMD: `."""
    said = []
    for command, args in (("import", [str(d)]),
                          ("train", ["--dataset", str(d), "--out", str(tmp_path / "model")])):
        assert cli.main(["--data-dir", str(tmp_path / "data"), command, *args]) == 1
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"musicsage {command}: "), lines
        said.append(lines[0].split(": ", 1)[1])
    assert not (tmp_path / "model").exists()
    return said


def test_a_folder_without_tracks_csv_is_refused_alike(tmp_path, capsys):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\n", encoding="utf-8")
    assert _reasons(capsys, d, tmp_path) == [f"{d} is not a dataset dir (no tracks.csv)"] * 2


def test_an_export_stopped_in_its_swap_is_refused_alike(tmp_path, capsys, monkeypatch):
    d = tmp_path / "ds"
    d.mkdir()
    real = os.replace

    def replace(src, dst):  # stopped as the new tracks.csv goes in: it stays in the stage
        if Path(dst).name == "tracks.csv":
            raise KeyboardInterrupt
        real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), replaced_together(d, ["tracks.csv"]) as stage:
        (stage / "tracks.csv").write_text("track_id\nt1\n", encoding="utf-8")
    monkeypatch.setattr(os, "replace", real)
    assert _reasons(capsys, d, tmp_path) == [
        f"{d} is not a dataset dir (no tracks.csv): an export into it was interrupted; "
        "export again"] * 2
