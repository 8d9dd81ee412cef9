"""A raw AAC or WAV length an older scan stored close to its count is left, with its vectors.

FFmpeg's guess for an ordinary constant-bitrate raw AAC is 0.4–0.6 % off its frames' count
(241.1 s stored for 240 s, 603.7 s for 600 s): past about 4 minutes that is more than the
1-s slack, and the once-only recount dropped such a track's vectors — nearly right ones —
so most raw AAC songs fell off the map, the search's neighbours and radio until the next
``embed``. A count off by more than 2 % as well (the bit-rate guesses it is for: 16 s stored
as 219 s) is still taken."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from adts_support import RATE

from musicsage.library import mp3_recount
from musicsage.library.mp3_recount import AAC_WAV_KEY
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import scan_roots


@pytest.mark.parametrize(("stored", "counted", "taken"), [
    (241.08, 240.02, False),  # the review's 240-s file at 128 kbit/s: 0.44 % off
    (603.7, 600.03, False),  # its 600-s file at 96 kbit/s: 0.61 % off
    (250.0, 240.0, True),  # 4 % off
    (219.0, 16.1, True),  # the quiet intro's guess
])
def test_the_recount_takes_only_a_count_far_off_the_stored_length(
        conn, music, monkeypatch, stored, counted, taken):
    sf.write(music / "song.wav", np.zeros(RATE, np.float32), RATE)
    scan_roots(conn, [str(music)])
    track_id = conn.execute("SELECT id FROM tracks").fetchone()[0]
    conn.execute("UPDATE tracks SET duration = ?, needs_analysis = 0", (stored,))
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
    if taken:
        assert (duration, needs, vectors) == (pytest.approx(counted), 1, 0)
        assert len(rep.notes) == 1
    else:
        assert (duration, needs, vectors) == (pytest.approx(stored), 0, 1)
        assert rep.notes == []
