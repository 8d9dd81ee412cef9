"""The scan stores a track's real length where its header does not tell it: a raw AAC
(ADTS) file that opens quietly was stored at mutagen's guess from its first frames' bit rate
(ten times too long: the track list and ``stats`` showed minutes for seconds), and a WAV whose
``data`` chunk states less audio than follows it was stored at the stated length without a
word. The AAC's frames are counted; the WAV is stored whole, with one note saying why."""

from __future__ import annotations

from adts_support import understated_wav, vbr_adts

from musicsage.library.scan import scan_roots

def test_a_vbr_raw_aac_is_stored_at_its_counted_length(conn, music):
    vbr_adts(music / "quiet intro.aac")
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 15.9 < stored < 16.2, f"the frames' 16 s, not a bit-rate guess: {stored}"


def test_a_wav_understating_its_audio_is_stored_whole_and_said(conn, music):
    path = music / "take.wav"
    understated_wav(path)
    before = path.read_bytes()
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 9.99 < stored < 10.01, f"all the audio, not the header's 4 s: {stored}"
    said = [note for _, note in rep.notes if "states less audio" in note]
    assert len(said) == 1 and "6.0 s more" in said[0] and "\n" not in said[0]
    assert path.read_bytes() == before, "the user's file is not rewritten"
