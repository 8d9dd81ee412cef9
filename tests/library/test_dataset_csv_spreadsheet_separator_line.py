"""A CSV saved by a spreadsheet with its ``sep=,`` line (Excel's hint of the separator) above
the header: that line was read as the header, and the file refused as "missing column(s)
track_id" — with the column plainly there on the next line. The refusal now says what the
first line is and what to do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage.cli import main
from musicsage.library.dataset_features import header_hint


def _dataset(d: Path, *, tracks_sep: str = "", members_sep: str = "") -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text(tracks_sep + "track_id,title\n" + "".join(
        f"t{i},Song {i}\n" for i in range(24)))
    (d / "memberships.csv").write_text(members_sep + "playlist_id,track_id\n" + "".join(
        f"p{i % 3},t{i}\n" for i in range(24)))
    np.save(d / "features.npy", np.random.default_rng(0).normal(size=(24, 4))
            .astype(np.float32))
    return d


@pytest.mark.parametrize("line, shown", [("sep=,\n", "'sep=,'"), ("sep=;\n", "'sep=;'"),
                                         ("\ufeffsep=,\r\n", "'sep=,'"),
                                         ("sep=\t\n", "'sep=\\t'")])
def test_import_names_the_separator_line_above_the_header(tmp_path, capsys, line, shown):
    """The tab of a ``sep=<tab>`` line is shown as ``\\t``: it read 'sep=', its separator
    gone."""
    d = _dataset(tmp_path / "ds", tracks_sep=line)
    assert main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"musicsage import: {d / 'tracks.csv'}: missing column(s) track_id (its "
                   f"first line {shown} is a spreadsheet's separator line, not a header: "
                   "delete that line)"]


def test_train_names_the_separator_line_of_memberships_csv(tmp_path, capsys):
    d = _dataset(tmp_path / "ds", members_sep="sep=,\n")
    assert main(["train", "--dataset", str(d), "--out", str(tmp_path / "out"),
                 "--max-steps", "2"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.endswith("memberships.csv: missing column(s) playlist_id, track_id (its first "
                         "line 'sep=,' is a spreadsheet's separator line, not a header: delete "
                         "that line)")
    assert not (tmp_path / "out").exists()


def test_a_header_that_only_starts_like_one_gets_no_such_words(tmp_path, capsys):
    d = _dataset(tmp_path / "ds", tracks_sep="separator,title\n")
    assert main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 1
    assert "separator line" not in capsys.readouterr().err


@pytest.mark.parametrize("raw, shown", [(["sep="], "'sep='"), (["sep= "], "'sep='"),
                                        (["sep=\t"], "'sep=\\t'")])
def test_the_tab_is_shown_only_when_the_line_holds_one(raw, shown):
    """A first line 'sep=' or 'sep= ' (no separator after it) was shown as 'sep=\\t': the
    header's cells as read tell the tab from nothing."""
    header = [cell.strip() for cell in raw]
    assert header_hint(header, "track_id", raw) == (
        f" (its first line {shown} is a spreadsheet's separator line, not a header: delete "
        "that line)")
