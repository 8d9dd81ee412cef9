"""The once-only upgrades of an older library do what the scan does, and no more: a WAV
whose header understates its audio is counted as the scan counts it (libsndfile's frames
over its rate, plus what follows: not the header's byte rate, which may be wrong) and is
told of as the scan tells of it (its player stops at the header's length; how to mend the
header); the raw AAC tag rule looks at raw AAC tracks alone, not at every suspect of a
library whose re-read of older misreadings finished."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from adts_support import understated_wav
from test_raw_aac_tags_an_older_scan_left_out import ID3V1, raw_aacs

from musicsage.library import tags
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import scan_roots
from musicsage.library.wav_tail import tail_note


def wrong_byte_rate(path) -> None:
    """Double the byte rate ``path``'s header states (libsndfile ignores it for PCM)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"fmt ") + 16
    rate = int.from_bytes(data[at:at + 4], "little")
    data[at:at + 4] = (rate * 2).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def as_an_older_scan_left_it(conn, name: str, length: float | None = None) -> None:
    """The track of ``name`` with vectors, at ``length`` (None: as scanned), the AAC and
    WAV recount not done."""
    if length is not None:
        conn.execute("UPDATE tracks SET duration = ? WHERE path LIKE ?", (length, f"%/{name}"))
    conn.execute("UPDATE tracks SET needs_analysis = 0 WHERE path LIKE ?", (f"%/{name}",))
    track_id = conn.execute("SELECT id FROM tracks WHERE path LIKE ?",
                            (f"%/{name}",)).fetchone()[0]
    conn.execute("INSERT OR REPLACE INTO audio_embeddings(track_id, model_id, model_version,"
                 " dim, vector) VALUES (?, 'spectral', '1', 2, ?)",
                 (track_id, np.zeros(2, np.float32).tobytes()))
    set_setting(conn, "aac_wav_lengths_recount", None)
    conn.commit()


def row(conn, name: str) -> tuple:
    """(duration, needs_analysis, vectors) of the track of ``name``."""
    return tuple(conn.execute(
        "SELECT t.duration, t.needs_analysis, count(e.track_id) FROM tracks t LEFT JOIN"
        " audio_embeddings e ON e.track_id = t.id WHERE t.path LIKE ? GROUP BY t.id",
        (f"%/{name}",)).fetchone())


def test_a_wav_whose_byte_rate_is_wrong_keeps_the_length_the_scan_stored(conn, music):
    understated_wav(music / "badrate.wav")  # 10 s held, 4 s stated
    wrong_byte_rate(music / "badrate.wav")
    scan_roots(conn, [str(music)])
    scanned = row(conn, "badrate.wav")[0]
    assert scanned > 6, "the scan's: the stated frames, plus the rest at the header's rate"
    as_an_older_scan_left_it(conn, "badrate.wav")  # counted already (a newer scan)
    rep = scan_roots(conn, [str(music)])
    assert rep.notes == [] and row(conn, "badrate.wav") == (scanned, 0, 1)
    as_an_older_scan_left_it(conn, "badrate.wav", 4.0)  # stored at the header's length
    rep = scan_roots(conn, [str(music)])
    assert row(conn, "badrate.wav") == (scanned, 1, 0), "what a scan of it stores"
    assert len(rep.notes) == 2 and f"is {scanned:.1f} s (stored: 4.0 s)" in rep.notes[0][1]


def test_the_recount_of_an_understated_wav_says_what_the_scan_says_of_it(conn, music):
    understated_wav(music / "take.wav")
    said = scan_roots(conn, [str(music)]).notes
    assert [n for _p, n in said] == [tail_note(str(music / "take.wav"))]
    as_an_older_scan_left_it(conn, "take.wav", 4.0)
    rep = scan_roots(conn, [str(music)])
    notes = [n for _p, n in rep.notes]
    assert len(notes) == 2 and notes[0].endswith("(stored: 4.0 s): its vectors (if any) were"
                                                  " dropped, and `musicsage embed` analyses"
                                                  " it again")
    assert notes[1] == said[0][1], "the player stops at the header's length: how to mend it"
    assert "ffmpeg -ignore_length 1" in notes[1]
    assert scan_roots(conn, [str(music)]).notes == []


def test_the_raw_aac_tag_rule_reads_no_other_suspect_again(conn, music, monkeypatch):
    raw_aacs(music)
    for n in range(3):  # FLACs with no album: suspects of the re-read, already read again
        sf.write(music / f"no album {n}.flac", np.zeros(8000, np.float32), 8000)
    scan_roots(conn, [str(music)])
    conn.execute("UPDATE tracks SET title = 'v1', artist = NULL, album = NULL, year = NULL"
                 " WHERE path LIKE '%/v1.aac'")
    conn.execute("UPDATE tracks SET artist = 'An Artist' WHERE format = 'flac'")
    set_setting(conn, "older_tags_reread_2", [])  # finished, by the version before
    set_setting(conn, "older_tags_reread_3", None)
    set_setting(conn, "raw_aac_tags_reread", None)
    conn.commit()
    read: list[str] = []
    probe = tags.probe
    monkeypatch.setattr(tags, "probe", lambda path, *a: read.append(path) or probe(path, *a))
    rep = scan_roots(conn, [str(music)])
    assert [p.rsplit("/", 1)[1] for p in read] == ["v1.aac"], "raw AAC tracks alone"
    assert rep.tags_read_again == 1 and (music / "v1.aac").read_bytes().endswith(ID3V1)
    assert get_setting(conn, "older_tags_reread_2") == []
