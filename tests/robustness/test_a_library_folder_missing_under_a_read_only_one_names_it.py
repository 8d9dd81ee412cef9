"""A data dir missing under a folder this user cannot write: ``scan`` said only "cannot create
the library folder RO/missing/deeper (Permission denied)", with no advice, while ``stats``
named the read-only folder above it. Both name that folder now, ``scan`` in the words of a
library that cannot be made (as on a read-only data dir that exists), with the way out."""

from __future__ import annotations

from robust_support import assert_one_line_failure, cli, without_dac_override
from test_filesystem_traps import modes


def test_scan_and_stats_name_the_read_only_folder_above_a_missing_data_dir(tmp_path):
    prefix = without_dac_override()
    locked, music = tmp_path / "locked", tmp_path / "music"
    locked.mkdir()
    music.mkdir()
    data = locked / "missing" / "deeper"
    with modes((locked, 0o555)):
        scan = cli("scan", str(music), data_dir=data, prefix=prefix)
        stats = cli("stats", data_dir=data, prefix=prefix)
    assert_one_line_failure(scan, "scan", f"cannot make a library in {data}: the folder above "
                            f"it, {locked}, is not writable (Permission denied): choose "
                            "another --data-dir or make it writable")
    assert_one_line_failure(stats, "stats", f"the folder above it, {locked}, is not writable "
                            "(Permission denied)")
    assert list(locked.iterdir()) == []
