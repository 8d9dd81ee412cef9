"""File › Remove missing tracks… first checks what removing them would do
(:func:`~musicsage.library.forget.missing_to_remove`): which missing tracks would move to
their one copy instead (:func:`~musicsage.library.missing_report.would_adopt`). Many identical
files (a sound effect, a silence copied into every album), most of them deleted, are missing
with many copies each: none moves, and the check costs no more than for as many different
files. Each missing copy read every other copy's row: 2,000 of them kept the question waiting
18 s. An album moved out of its folder (the folder left empty, so the scan held it back) is
still counted as moved, and the removal moves exactly those the check named."""

from __future__ import annotations

import shutil

from library_audio import write_audio

from musicsage.library.forget import forget_missing, missing_to_remove
from musicsage.library.scan import resolve_roots, scan_roots

COPIES, DELETED = 120, 80


def _scan(conn, music) -> None:
    scan_roots(conn, resolve_roots([music]))


def _library_of(conn, music, identical: bool) -> None:
    """COPIES tracks (one file copied, or each its own tone), scanned, DELETED of them deleted
    and scanned again: missing."""
    write_audio(music / "src.wav", seconds=0.05)
    for i in range(COPIES):
        if identical:
            shutil.copyfile(music / "src.wav", music / f"fx{i:03d}.wav")
        else:
            write_audio(music / f"fx{i:03d}.wav", seconds=0.05, freq=100.0 + 7 * i)
    (music / "src.wav").unlink()
    _scan(conn, music)
    for i in range(DELETED):
        (music / f"fx{i:03d}.wav").unlink()
    _scan(conn, music)


def _check_steps(conn) -> tuple[object, int]:
    """The check (nothing changed): its report and the SQLite VM steps (hundreds) it took."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(count, 100)
    try:
        plan = missing_to_remove(conn)
    finally:
        conn.set_progress_handler(None, 100)
    return plan, steps[0]


def _ids(conn, like: str) -> set[int]:
    return {r[0] for r in conn.execute("SELECT id FROM tracks WHERE path LIKE ?", (like,))}


def test_the_check_moves_a_moved_album_and_no_identical_copy(conn, music):
    _library_of(conn, music, identical=True)
    write_audio(music / "a" / "song.wav", seconds=0.05, freq=880.0)
    write_audio(music / "a" / "other.wav", seconds=0.05, freq=990.0)
    _scan(conn, music)
    album = _ids(conn, "%/a/%")
    shutil.copytree(music / "a", music / "b", copy_function=shutil.copy2)
    _scan(conn, music)  # the copies seen, their originals still there
    for f in (music / "a").iterdir():
        f.unlink()  # a/ left empty: the scan holds its tracks back (a drive unplugged?)
    assert scan_roots(conn, resolve_roots([music])).moved == 0, "the scan's guard holds"
    fx_missing = _ids(conn, "%/fx%") & {r[0] for r in conn.execute(
        "SELECT id FROM tracks WHERE status = 'missing'")}
    assert len(fx_missing) == DELETED

    plan = missing_to_remove(conn)

    assert set(plan.moved_ids) == album, "the moved album, and no identical copy, would move"
    assert set(plan.ids) == fx_missing and plan.tracks == DELETED
    report = forget_missing(conn, asked=plan)
    assert (report.moved, report.tracks, report.unasked) == (2, DELETED, 0)
    assert {r[0] for r in conn.execute("SELECT id FROM tracks WHERE path LIKE '%/b/%' AND"
                                       " status = 'present'")} == album
    assert conn.execute("SELECT count(*) FROM tracks WHERE path LIKE '%/fx%'"
                        ).fetchone()[0] == COPIES - DELETED


def test_the_check_costs_no_more_for_identical_copies_than_other_files(conn, music, tmp_path):
    """The check's SQL work, not its time: the same for copies as for different files."""
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    _library_of(conn, music, identical=False)
    plan, different = _check_steps(conn)
    assert (plan.tracks, plan.moved) == (DELETED, 0)
    other = connect(AppContext.create(tmp_path / "other-data"))
    _library_of(other, tmp_path / "copies", identical=True)

    plan, identical = _check_steps(other)

    assert (plan.tracks, plan.moved) == (DELETED, 0)
    assert identical <= 2 * different + 20, (identical, different)
