"""A raw AAC length an older scan stored close to its count takes the count, its vectors kept.

FFmpeg's guess for an ordinary constant-bitrate raw AAC is 0.4–0.6 % off its frames' count
(241.1 s stored for 240 s, 603.7 s for 600 s): past about 4 minutes that is more than the
1-s slack, and the once-only recount dropped such a track's vectors — nearly right ones —
so most raw AAC songs fell off the map, the search's neighbours and radio until the next
``embed``. Such a count is stored (a later scan of the file, touched or moved, then finds its
length right and keeps the vectors too), the vectors kept, nothing said. A count off by more
than 2 % (the bit-rate guesses it is for: 16 s stored as 219 s) drops them, with a note; so
does any WAV count over the 1-s slack: a WAV's stored length was its header's, exact, and
the audio past it was never analysed."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from adts_support import RATE

from musicsage.library import mp3_recount
from musicsage.library.mp3_recount import AAC_WAV_KEY
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import scan_roots


@pytest.mark.parametrize(("fmt", "stored", "counted", "analysed_again"), [
    ("aac", 241.08, 240.02, False),  # the review's 240-s file at 128 kbit/s: 0.44 % off
    ("aac", 603.7, 600.03, False),  # its 600-s file at 96 kbit/s: 0.61 % off
    ("aac", 250.0, 240.0, True),  # 4 % off
    ("aac", 219.0, 16.1, True),  # the quiet intro's guess
    ("wav", 295.0, 300.0, True),  # a header 5 s short: audio never analysed
])
def test_the_recount_drops_vectors_only_for_a_count_far_off_the_stored_length(
        conn, music, monkeypatch, fmt, stored, counted, analysed_again):
    sf.write(music / "song.wav", np.zeros(RATE, np.float32), RATE)
    scan_roots(conn, [str(music)])
    track_id = conn.execute("SELECT id FROM tracks").fetchone()[0]
    conn.execute("UPDATE tracks SET duration = ?, needs_analysis = 0, format = ?",
                 (stored, fmt))
    conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                 " VALUES (?, 'spectral', '1', 2, ?)", (track_id, np.zeros(2, np.float32)
                                                        .tobytes()))
    set_setting(conn, AAC_WAV_KEY, None)  # an older version's library: not recounted yet
    conn.commit()
    monkeypatch.setattr(mp3_recount, "_aac_or_wav_seconds",
                        lambda *args: (True, counted))

    rep = scan_roots(conn, [str(music)])

    duration, needs, vectors = conn.execute(
        "SELECT duration, needs_analysis, (SELECT count(*) FROM audio_embeddings)"
        " FROM tracks").fetchone()
    assert get_setting(conn, AAC_WAV_KEY) == []
    assert duration == pytest.approx(counted)
    if analysed_again:
        assert (needs, vectors) == (1, 0)
        assert len(rep.notes) == 1
    else:
        assert (needs, vectors) == (0, 1)
        assert rep.notes == []
