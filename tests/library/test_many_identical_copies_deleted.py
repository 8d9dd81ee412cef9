"""Many identical files (a sound effect, a silence copied into every album), most of them
deleted: the next scan marks them missing, folds none into another (each has many copies:
none is *the* copy), and still folds a track moved across drives in the same scan into its
one copy. Each missing copy read every other copy's row: deleting 2,000 of 3,000 copies
made the scan take 7 s, not 0.5 s."""

from __future__ import annotations

import shutil

from library_audio import write_audio

from musicsage.library.scan import resolve_roots, scan_roots

COPIES, DELETED = 120, 80


def _rescan_steps(conn, music) -> tuple[object, int]:
    """Rescan ``music``: its report and the SQLite VM steps (in thousands) it took."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(count, 1000)
    try:
        report = scan_roots(conn, resolve_roots([music]))
    finally:
        conn.set_progress_handler(None, 1000)
    return report, steps[0]


def _library_of(conn, music, identical: bool) -> None:
    """COPIES tracks (one file copied, or each its own tone), scanned."""
    write_audio(music / "src.wav", seconds=0.05)
    for i in range(COPIES):
        if identical:
            shutil.copyfile(music / "src.wav", music / f"fx{i:03d}.wav")
        else:
            write_audio(music / f"fx{i:03d}.wav", seconds=0.05, freq=100.0 + 7 * i)
    (music / "src.wav").unlink()
    scan_roots(conn, resolve_roots([music]))


def _delete_copies(music) -> None:
    for i in range(DELETED):
        (music / f"fx{i:03d}.wav").unlink()


def test_deleted_identical_copies_are_missing_and_fold_nothing(conn, music):
    _library_of(conn, music, identical=True)
    write_audio(music / "a" / "song.wav", seconds=0.05, freq=880.0)
    write_audio(music / "a" / "other.wav", seconds=0.05, freq=990.0)  # a/ not left empty
    scan_roots(conn, resolve_roots([music]))
    moved_id = conn.execute("SELECT id FROM tracks WHERE path LIKE '%/a/song.wav'").fetchone()[0]
    (music / "b").mkdir()
    shutil.copy2(music / "a" / "song.wav", music / "b" / "song.wav")
    scan_roots(conn, resolve_roots([music]))  # the copy seen, its original still there
    (music / "a" / "song.wav").unlink()
    _delete_copies(music)

    report = scan_roots(conn, resolve_roots([music]))

    assert (report.missing, report.moved) == (DELETED, 1)
    assert tuple(conn.execute("SELECT path, status FROM tracks WHERE id = ?", (moved_id,)
                              ).fetchone()) == (str(music / "b" / "song.wav"), "present")
    statuses = dict(conn.execute("SELECT status, count(*) FROM tracks WHERE path LIKE '%/fx%'"
                                 " GROUP BY status").fetchall())
    assert statuses == {"missing": DELETED, "present": COPIES - DELETED}


def test_deleted_identical_copies_cost_the_scan_no_more_than_other_files(
        conn, music, tmp_path):
    """The rescan's SQL work, not its time: the same for copies as for different files."""
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    _library_of(conn, music, identical=False)
    _delete_copies(music)
    _, different = _rescan_steps(conn, music)
    other = connect(AppContext.create(tmp_path / "other-data"))
    _library_of(other, tmp_path / "copies", identical=True)
    _delete_copies(tmp_path / "copies")

    _, identical = _rescan_steps(other, tmp_path / "copies")

    assert identical <= 2 * different + 20, (identical, different)
