"""A library scanned before raw AAC frames were counted and before a WAV was stored past its
header's stated end: its raw AAC tracks kept the guess from their first frames' bit rate (16 s
stored as minutes: ``embed``'s excerpts fell past the end) and its understated WAVs the
header's length (4 s of 10), with the vectors made from them, for as long as the file did not
change: a scan skips files whose stamp it knows. The first scan after the upgrade counts them
once, as it does MP3s (:mod:`musicsage.library.mp3_recount`), its own ``settings`` key."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf
from adts_support import RATE, understated_wav, vbr_adts
from mutagen.aac import AAC

from musicsage.library import mp3_recount
from musicsage.library.mp3_recount import AAC_WAV_KEY, AAC_WAV_STAGE, RECOUNT_KEY
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import scan_roots
from musicsage.library.scan_write import recounted_note
from musicsage.progress import CancelToken, Cancelled


def as_an_older_scan_left_it(conn, path, length: float) -> None:
    """The track of ``path`` as a scan before the counting stored it: ``length``, vectors made,
    the AAC and WAV recount not done (the MP3 one done: a library that had it)."""
    conn.execute("UPDATE tracks SET duration = ?, needs_analysis = 0 WHERE path LIKE ?",
                 (length, f"%/{path.name}"))
    track_id = conn.execute("SELECT id FROM tracks WHERE path LIKE ?",
                            (f"%/{path.name}",)).fetchone()[0]
    conn.execute("INSERT OR REPLACE INTO audio_embeddings(track_id, model_id, model_version,"
                 " dim, vector) VALUES (?, 'spectral', '1', 2, ?)",
                 (track_id, np.zeros(2, np.float32).tobytes()))
    set_setting(conn, AAC_WAV_KEY, None)
    conn.commit()


def rows(conn) -> dict[str, tuple]:
    """File name → (duration, needs_analysis, vectors)."""
    return {r[0].rsplit("/", 1)[1]: r[1:] for r in conn.execute(
        "SELECT t.path, t.duration, t.needs_analysis, count(e.track_id) FROM tracks t"
        " LEFT JOIN audio_embeddings e ON e.track_id = t.id GROUP BY t.id")}


@pytest.fixture
def counts(monkeypatch) -> list[str]:
    """The file of each raw AAC or WAV track the recount counts."""
    seen: list[str] = []
    count = mp3_recount._aac_or_wav_seconds

    def counting(path, *args):
        seen.append(path.rsplit("/", 1)[1])
        return count(path, *args)

    monkeypatch.setattr(mp3_recount, "_aac_or_wav_seconds", counting)
    return seen


@pytest.fixture
def older_library(conn, music):
    """A raw AAC stored at mutagen's guess, a WAV at its header's 4 s, an ordinary WAV."""
    vbr_adts(music / "quiet intro.aac")
    understated_wav(music / "take.wav")
    sf.write(music / "plain.wav", np.zeros(RATE * 2, np.float32), RATE)
    scan_roots(conn, [str(music)])
    assert get_setting(conn, RECOUNT_KEY) == [] == get_setting(conn, AAC_WAV_KEY)
    guess = AAC(str(music / "quiet intro.aac")).info.length
    assert guess > 100, "what an older scan stored: the first frames' bit rate's guess"
    as_an_older_scan_left_it(conn, music / "quiet intro.aac", guess)
    as_an_older_scan_left_it(conn, music / "take.wav", 4.0)
    as_an_older_scan_left_it(conn, music / "plain.wav", 2.0)
    return guess


def test_the_next_scan_counts_raw_aac_and_wav_once_and_has_them_analysed_again(
        conn, music, older_library, counts):
    stages: list[tuple[str, int, int]] = []
    rep = scan_roots(conn, [str(music)],
                     progress=lambda p: stages.append((p.stage, p.done, p.total)))
    assert (rep.updated, rep.unchanged, rep.errors) == (0, 3, [])
    notes: dict[str, str] = {}  # each file's first: the WAV's second is the scan's tail note
    for p, n in rep.notes:
        notes.setdefault(p.rsplit("/", 1)[1], n)
    assert sorted(notes) == ["quiet intro.aac", "take.wav"] and len(rep.notes) == 3, rep.notes
    assert notes["take.wav"] == recounted_note(4.0, 10.0)
    assert notes["quiet intro.aac"].startswith("its length counted from its frames is 16.")
    now = rows(conn)
    assert 15.9 < now["quiet intro.aac"][0] < 16.2 and now["quiet intro.aac"][1:] == (1, 0)
    assert 9.99 < now["take.wav"][0] < 10.01 and now["take.wav"][1:] == (1, 0)
    assert now["plain.wav"] == (2.0, 0, 1), "an ordinary WAV keeps its length and vectors"
    said = [s for s in stages if s[0] == AAC_WAV_STAGE]
    assert said == [(AAC_WAV_STAGE, 0, 3), (AAC_WAV_STAGE, 3, 3)]
    assert not [s for s in stages if s[0] == mp3_recount.STAGE], "the MP3 recount is done"
    assert get_setting(conn, AAC_WAV_KEY) == [] == get_setting(conn, RECOUNT_KEY)
    counts.clear()
    stages.clear()
    again = scan_roots(conn, [str(music)],
                       progress=lambda p: stages.append((p.stage, p.done, p.total)))
    assert again.notes == [] and counts == [], "once: the next scans count nothing"
    assert not [s for s in stages if s[0] == AAC_WAV_STAGE]
    assert rows(conn) == now


def test_a_cancelled_recount_keeps_what_it_wrote_and_counts_again_next_time(
        conn, music, older_library, monkeypatch):
    cancel = CancelToken()
    count = mp3_recount._aac_or_wav_seconds
    calls: list[str] = []

    def cancelled_at_the_second(path, *args):
        calls.append(path)
        if len(calls) == 2:
            cancel.cancel()  # as Stop, pressed while the 2nd file is counted
        return count(path, *args)

    monkeypatch.setattr(mp3_recount, "_aac_or_wav_seconds", cancelled_at_the_second)
    with pytest.raises(Cancelled):
        scan_roots(conn, [str(music)], cancel=cancel)
    assert len(calls) == 2, "cancelled inside the recount, before the 3rd file"
    kept = rows(conn)
    assert 15.9 < kept["quiet intro.aac"][0] < 16.2 and kept["quiet intro.aac"][2] == 0
    assert kept["take.wav"] == (4.0, 0, 1), "the 3rd (by id: by name) not counted yet"
    assert get_setting(conn, AAC_WAV_KEY) is None, "not done: the next scan recounts"
    monkeypatch.undo()
    rep = scan_roots(conn, [str(music)])
    assert [p.rsplit("/", 1)[1] for p, _n in rep.notes] == ["take.wav"] * 2, (
        "what was written is not written nor said again")
    assert 9.99 < rows(conn)["take.wav"][0] < 10.01
    assert get_setting(conn, AAC_WAV_KEY) == []


def test_an_understated_wav_touched_since_is_read_whole_and_analysed_again(
        conn, music, older_library):
    """A WAV touched (a copy that did not keep its time) is read by the scan, not the
    recount: its stored 4 s kept the vectors of those 4 s, as the same audio."""
    take = music / "take.wav"
    st = take.stat()
    os.utime(take, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    rep = scan_roots(conn, [str(music)])
    notes = [(p.rsplit("/", 1)[1], n) for p, n in rep.notes if p.endswith("take.wav")
             and n.startswith("its length counted")]
    assert notes == [("take.wav", recounted_note(4.0, 10.0))]
    assert get_setting(conn, AAC_WAV_KEY) == [], "left to the scan, not to a later recount"
    assert rows(conn)["take.wav"][1:] == (1, 0), "its vectors dropped: embed analyses it again"


def test_the_window_says_what_the_recount_does():
    from musicsage.controllers.wording import stage_words

    assert stage_words(AAC_WAV_STAGE) == "Checking AAC and WAV lengths stored by an older version"
