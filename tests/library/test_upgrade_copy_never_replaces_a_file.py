"""The copy an upgrade keeps of the older library is named when whole, never over a file: a
file that appeared under the copy's name while it was being made (a copy made by hand, or by
a run that did not wait for the library's lock) was silently replaced by the rename."""

from __future__ import annotations

from pathlib import Path

from test_upgrade_cut_short import schema_1_library

from musicsage.library import db, db_upgrade
from musicsage.library.schema import SCHEMA_VERSION


def test_a_file_made_under_the_copys_name_meanwhile_is_kept(tmp_path, monkeypatch):
    path = schema_1_library(tmp_path / "library.sqlite3")
    theirs = Path(f"{path}.schema-1.bak")
    real = db_upgrade._back_up

    def back_up_while_someone_copies(source, dest, timeout_s):
        real(source, dest, timeout_s)
        theirs.write_bytes(b"the user's own copy")

    monkeypatch.setattr(db_upgrade, "_back_up", back_up_while_someone_copies)
    db.take_upgrade_lines()
    db.open_connection(path).close()

    assert theirs.read_bytes() == b"the user's own copy"
    ours = Path(f"{path}.schema-1.2.bak")
    assert db.take_upgrade_lines() == [
        f"upgraded the library database from schema 1 to {SCHEMA_VERSION}; the old one is "
        f"kept as {ours}"]
    assert ours.read_bytes()[:16] == b"SQLite format 3\0"
    assert sorted(p.name for p in tmp_path.iterdir() if ".tmp" in p.name) == []
