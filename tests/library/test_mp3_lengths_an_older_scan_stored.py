"""A library scanned before MP3 frames were counted: its MP3s without a length header were
stored at the header's guess (20 s of 30), and a scan skips unchanged files, so they kept the
short length and the vectors of their first part for good. The first scan after the upgrade
counts them once; a track moved meanwhile is still found by the length it was stored at."""

from __future__ import annotations

import builtins
import os
import shutil
from collections import OrderedDict

import numpy as np
import pytest
import soundfile as sf
from mp3_support import RATE, tone
from mutagen.mp3 import MP3
from test_mp3_longer_than_its_header_is_scanned_and_embedded_whole import (
    vbr_without_length_header)

from musicsage.library import mp3_recount, mpeg_frames
from musicsage.library.mp3_recount import RECOUNT_KEY
from musicsage.library.scan_report import summed_up_notes
from musicsage.library.scan_write import RECOUNT_SLACK_S, recounted_note
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import scan_roots
from musicsage.progress import CancelToken, Cancelled


def as_an_older_scan_left_it(conn, path) -> None:
    """The track of ``path`` as a scan before the counting stored it: the header's guess,
    vectors made, no hashes (a version older still), the recount not done."""
    guess = MP3(str(path)).info.length  # what the probe stored: mutagen's
    conn.execute("UPDATE tracks SET duration = ?, needs_analysis = 0 WHERE path LIKE ?",
                 (guess, f"%{path.name}"))
    track_id = conn.execute("SELECT id FROM tracks WHERE path LIKE ?",
                            (f"%{path.name}",)).fetchone()[0]
    conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                 " VALUES (?, 'spectral', '1', 2, ?)",
                 (track_id, np.zeros(2, np.float32).tobytes()))
    set_setting(conn, RECOUNT_KEY, None)
    conn.commit()


@pytest.fixture
def walks(monkeypatch) -> list[int]:
    """One entry per MP3 whose frames are walked."""
    seen: list[int] = []
    walked = mpeg_frames._walked

    def counting(*args):
        seen.append(1)
        return walked(*args)

    monkeypatch.setattr(mpeg_frames, "_walked", counting)
    # every count a walk: none kept from before (a file counted once is not read again)
    monkeypatch.setattr(mpeg_frames, "_counts", OrderedDict(), raising=False)
    monkeypatch.setattr(mpeg_frames, "COUNTS_KEPT", 0, raising=False)
    return seen


def test_the_next_scan_counts_an_unchanged_mp3_once_and_has_it_analysed_again(conn, music,
                                                                               walks):
    rip, whole = music / "rip.mp3", music / "whole.mp3"
    vbr_without_length_header(rip)
    sf.write(whole, tone(4.0, 440.0), RATE, format="MP3", subtype="MPEG_LAYER_III")
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    as_an_older_scan_left_it(conn, whole)
    walks.clear()
    rep = scan_roots(conn, [str(music)])
    assert (rep.updated, rep.unchanged, rep.errors) == (0, 2, [])
    guess = short_guess(rip)
    assert [(p.rsplit("/", 1)[1], n) for p, n in rep.notes] == [(
        "rip.mp3", f"its length counted from its frames is 30.0 s (stored: {guess:.1f} s): its"
        " vectors (if any) were dropped, and `musicsage embed` analyses it again")]
    rows = {r[0].rsplit("/", 1)[1]: r[1:] for r in conn.execute(
        "SELECT t.path, t.duration, t.needs_analysis, count(e.track_id) FROM tracks t"
        " LEFT JOIN audio_embeddings e ON e.track_id = t.id GROUP BY t.id")}
    duration, needs, vectors = rows["rip.mp3"]
    assert 29.9 < duration < 30.2 and needs == 1 and vectors == 0, "embed makes them again"
    assert rows["whole.mp3"][1:] == (0, 1), "a file its header bounds keeps its vectors"
    assert walks == [1], "only the file without a length header is walked"
    walks.clear()
    again = scan_roots(conn, [str(music)])
    assert again.notes == [] and walks == [], "once: the next scans count nothing"
    assert get_setting(conn, RECOUNT_KEY) == []


def test_a_cancelled_recount_keeps_what_it_wrote_and_counts_again_next_time(conn, music,
                                                                           monkeypatch):
    rips = [music / f"rip{i}.mp3" for i in range(3)]
    for rip in rips:
        vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    for rip in rips:
        as_an_older_scan_left_it(conn, rip)
    cancel = CancelToken()
    count = mp3_recount._counted_seconds

    def cancelled_at_the_second(*args):
        if count_calls.append(1) or len(count_calls) == 2:
            cancel.cancel()  # as Stop, pressed while the 2nd file is counted
        return count(*args)

    count_calls: list[int] = []
    monkeypatch.setattr(mp3_recount, "_counted_seconds", cancelled_at_the_second)
    with pytest.raises(Cancelled):
        scan_roots(conn, [str(music)], cancel=cancel)
    assert count_calls == [1, 1], "cancelled inside the recount, before the 3rd file"
    assert [round(d) for d in lengths(conn)] == [30, 30, round(short_guess(rips[2]))], \
        "the two counted are kept"
    assert get_setting(conn, RECOUNT_KEY) is None, "not done: the next scan recounts"
    rep = scan_roots(conn, [str(music)])
    assert [p.rsplit("/", 1)[1] for p, _n in rep.notes] == ["rip2.mp3"]
    assert [round(d) for d in lengths(conn)] == [30, 30, 30]
    assert get_setting(conn, RECOUNT_KEY) == []


def short_guess(path) -> float:
    """The header's guess an older scan stored for ``path`` (mutagen's, as
    :func:`as_an_older_scan_left_it` stores it), checked to be what the recount is for: short
    of the 30 s its frames hold by more than the recount lets pass. The guess itself is the
    encoder's (17.6 s by PyAV 18.1.0's LAME, 15.7 s by 18.1.1's): no test holds it to one."""
    guess = MP3(str(path)).info.length
    assert 30.0 - guess > RECOUNT_SLACK_S, f"a guess of {guess:.1f} s: not short"
    return guess


def lengths(conn) -> list[float]:
    return [r[0] for r in conn.execute("SELECT duration FROM tracks ORDER BY path")]


def test_a_file_that_cannot_be_opened_is_counted_once_it_can(conn, music, monkeypatch):
    """A file its owner's rights or a drive's hiccup keep closed for a moment: its count
    failing read as "its header bounds its audio", and it was never counted."""
    rip = music / "rip.mp3"
    vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    real_open = builtins.open

    def refused(file, *args, **kwargs):
        if isinstance(file, (str, bytes)) and os.fsdecode(file).endswith("rip.mp3"):
            raise PermissionError(13, "Permission denied", os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refused)
    first = scan_roots(conn, [str(music)])
    monkeypatch.undo()
    track_id = conn.execute("SELECT id FROM tracks").fetchone()[0]
    assert first.notes == [] and get_setting(conn, RECOUNT_KEY) == [track_id]
    rep = scan_roots(conn, [str(music)])
    assert len(rep.notes) == 1 and get_setting(conn, RECOUNT_KEY) == []
    assert 29.9 < conn.execute("SELECT duration FROM tracks").fetchone()[0] < 30.2


def test_the_recount_reports_its_progress_from_its_first_file(conn, music):
    rip = music / "rip.mp3"
    vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    seen: list[tuple[int, int]] = []
    scan_roots(conn, [str(music)], progress=lambda p: seen.append((p.done, p.total))
               if p.stage == mp3_recount.STAGE else None)
    assert seen == [(0, 1), (1, 1)]


def test_many_recounted_tracks_are_one_line_and_other_notes_stay(tmp_path):
    note = recounted_note(17.6, 30.0)
    notes = [(f"/m/rip{i:02}.mp3", note) for i in range(25)] + [("/m/a.ogg", "cut short")]
    shown, line = summed_up_notes(notes)
    assert shown == [("/m/a.ogg", "cut short")]
    assert line == ("25 MP3 tracks (rip00.mp3, rip01.mp3, rip02.mp3 …) had a length counted"
                    " from their frames other than the one stored: their vectors (if any) were"
                    " dropped, and `musicsage embed` analyses them again")
    assert summed_up_notes(notes[-21:]) == (notes[-21:], ""), "20 are listed one a line"


def test_a_track_out_of_reach_is_counted_once_it_is_back(conn, music, tmp_path):
    rip = music / "rip.mp3"
    vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    kept = tmp_path / "kept.mp3"
    shutil.copy2(rip, kept)  # times kept: the file as last scanned once back
    rip.unlink()
    scan_roots(conn, [str(music)])
    track_id = conn.execute("SELECT id FROM tracks").fetchone()[0]
    assert get_setting(conn, RECOUNT_KEY) == [track_id]
    shutil.copy2(kept, rip)
    rep = scan_roots(conn, [str(music)])
    assert len(rep.notes) == 1 and get_setting(conn, RECOUNT_KEY) == []
    assert 29.9 < conn.execute("SELECT duration FROM tracks").fetchone()[0] < 30.2


def test_a_track_stored_at_the_guess_moved_after_the_upgrade_keeps_its_track(conn, music):
    """Without a hash (a library older still), a moved file is matched by size, tags and
    duration: the counted 30 s against the stored 17.6-s guess made it a new track, its
    vectors and playlists left with the missing one."""
    rip = music / "rip.mp3"
    vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    conn.execute("DELETE FROM track_hashes")
    conn.execute("DELETE FROM track_audio_hashes")
    set_setting(conn, RECOUNT_KEY, [])  # (not this test's subject)
    conn.commit()
    (music / "moved").mkdir()
    rip.rename(music / "moved" / "rip.mp3")
    rep = scan_roots(conn, [str(music)])
    assert (rep.moved, rep.added, rep.missing) == (1, 0, 0)


def test_tracks_stored_missing_are_left_listed_and_their_files_not_looked_for(conn, music,
                                                                              tmp_path,
                                                                              monkeypatch):
    """A track kept missing for good (a drive unplugged) stays listed to be counted, but a
    scan or a watch batch neither looks for its file (a stale mount waits on each), nor says
    it is counting MP3 lengths, nor writes the list again."""
    rip = music / "rip.mp3"
    vbr_without_length_header(rip)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_it(conn, rip)
    shutil.move(rip, tmp_path / "rip.mp3")
    scan_roots(conn, [str(music)])  # counted: out of reach, and stored missing
    gone_id = conn.execute("SELECT id FROM tracks WHERE status = 'missing'").fetchone()[0]
    assert get_setting(conn, RECOUNT_KEY) == [gone_id]
    looked_for, writes, stages = [], [], []
    as_last_scanned = mp3_recount.as_last_scanned
    monkeypatch.setattr(mp3_recount, "as_last_scanned",
                        lambda path, *a: looked_for.append(path) or as_last_scanned(path, *a))
    conn.set_trace_callback(lambda sql: writes.append(sql) if RECOUNT_KEY in sql else None)
    try:
        scan_roots(conn, [str(music)], progress=lambda p: stages.append(p.stage))
    finally:
        conn.set_trace_callback(None)

    assert (looked_for, stages.count(mp3_recount.STAGE)) == ([], 0)
    assert [sql for sql in writes if not sql.lstrip().upper().startswith("SELECT")] == []
    assert get_setting(conn, RECOUNT_KEY) == [gone_id]
    shutil.move(tmp_path / "rip.mp3", rip)  # back, found by the listing: counted
    rep = scan_roots(conn, [str(music)])
    assert len(rep.notes) == 1 and get_setting(conn, RECOUNT_KEY) == []
