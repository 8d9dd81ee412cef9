"""An MP3 whose header does not bound its audio: files joined end to end (``cat a.mp3 b.mp3``,
each with its Info header: libsndfile and mutagen read the first one's length and stopped
there) and a variable-bitrate file without a Xing header (the length guessed from the first
frames). The scan stored the first file's length (10 s of 30) or the guess (20 s of 30), and
the embedder read only that part, so the excerpts it spread over "the whole track" never
reached its tail. Both now count the frames, and the excerpts come from the whole file."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from mp3_support import RATE, joined, lame, tone

from musicsage.audio import decode
from musicsage.audio.musicnn.tagger import refuse_what_the_scan_refuses
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library import mpeg_frames
from musicsage.library.mpeg_frames import counted_length
from musicsage.library.scan import scan_roots


def vbr_without_length_header(path, seconds: float = 30.0, *, noise: tuple = (0.0, 3.0),
                              options: dict | None = None) -> None:
    """Noise (from ``noise[0]`` to ``noise[1]`` s; first, the first frames take a high
    bitrate: the guess comes out short), else a tone, by LAME at an average bitrate unless
    ``options`` say otherwise, without the Xing header."""
    y = tone(seconds, 440.0)
    lo, hi = round(noise[0] * RATE), round(noise[1] * RATE)
    y[lo:hi] = 0.5 * np.random.default_rng(0).standard_normal(hi - lo)
    lame(path, y, options or {"abr": "1", "b": "128k"}, {"write_xing": "0"})


def loudest_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * RATE / len(x))


def test_joined_mp3_files_are_scanned_and_read_to_the_end_of_the_last(conn, music):
    path = music / "mix.mp3"
    joined(path, [tone(10.0, 330.0), tone(10.0, 550.0), tone(10.0, 880.0)])
    assert sf.info(str(path)).frames < 11 * RATE, "libsndfile reads the first file only"
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 29.9 < stored < 30.3, "the stored length is the three files', not the first's"
    info = decode.probe(str(path))
    assert 29.9 < info.duration_s < 30.3
    last = decode.read_span(str(path), 25.0, 1.0, sr=RATE, info=info)
    assert len(last) == RATE and abs(loudest_hz(last) - 880.0) < 5, "the third file's tone"
    first = decode.read_span(str(path), 2.0, 1.0, sr=RATE, info=info)
    assert abs(loudest_hz(first) - 330.0) < 5


def test_a_vbr_mp3_without_its_length_is_scanned_and_read_to_its_end(conn, music):
    path = music / "rip.mp3"
    vbr_without_length_header(path)
    assert sf.info(str(path)).frames < 25 * RATE, "libsndfile's length is a short guess"
    scan_roots(conn, [str(music)])
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 29.9 < stored < 30.2
    info = decode.probe(str(path))
    assert 29.9 < info.duration_s < 30.2
    excerpts = decode.read_spans(str(path), [(5.0, 1.0), (28.0, 1.0)], sr=RATE, info=info)
    assert [len(x) for x in excerpts] == [RATE, RATE]
    assert all(abs(loudest_hz(x) - 440.0) < 5 for x in excerpts), "the tone, not silence"
    whole = decode.load(str(path), sr=RATE)
    assert 29.9 * RATE < len(whole) < 30.2 * RATE


def test_an_mp3_whose_header_bounds_its_audio_is_not_walked_and_reads_as_before(music):
    path = music / "song.mp3"
    sf.write(path, tone(4.0, 440.0), RATE, format="MP3", subtype="MPEG_LAYER_III")
    with open(path, "ab") as fh:
        fh.write(b"TAG" + bytes(125))  # an ID3v1 tag after the audio is no more audio
    assert counted_length(str(path)) is None
    info = decode.probe(str(path))
    assert info.backend == "soundfile" and info.duration_s == 4.0
    assert counted_length(str(music / "gone.mp3")) is None


def guess_far_too_long(path) -> None:
    """A quiet intro at a low bitrate, then loud music at a high one (here two such files
    joined, neither with a Xing header): libsndfile guesses 200 s for 24 s."""
    quiet, loud = path.with_name("quiet.tmp"), path.with_name("loud.tmp")
    vbr_without_length_header(quiet, 4.0, noise=(0.0, 0.0), options={"b": "32k"})
    vbr_without_length_header(loud, 20.0, noise=(0.0, 20.0), options={"b": "320k"})
    path.write_bytes(quiet.read_bytes() + loud.read_bytes())
    quiet.unlink()
    loud.unlink()


def test_a_vbr_mp3_whose_guess_is_far_too_long_is_decoded_not_called_truncated(tmp_path):
    """The excerpts spread over the guess fell past the end, and the decoder said "audio
    ends early (truncated or damaged file?)" of a good file."""
    path = tmp_path / "song.mp3"
    guess_far_too_long(path)
    assert sf.info(str(path)).frames > 100 * RATE, "libsndfile's guess is far too long"
    info = decode.probe(str(path))
    assert 23.9 < info.duration_s < 24.2, "the frames' length, not the guess"
    embedder = SpectralEmbedder()
    spans = embedder.spans(info.duration_s)
    excerpts = decode.read_spans(str(path), spans, sr=embedder.sample_rate, info=info)
    assert [len(x) for x in excerpts] == [round(n * embedder.sample_rate) for _, n in spans]
    assert len(embedder.prepare(excerpts)) > 0


def test_a_vbr_mp3_whose_guess_is_far_too_long_is_scanned_and_tagged_not_refused(conn, music):
    """The scan looked for the last second at the end of the guess (200 s), found nothing
    there and refused a good 24-s file as "audio ends early"; ``tags``/``embed`` refused
    it in the scan's words."""
    path = music / "song.mp3"
    guess_far_too_long(path)
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 23.9 < stored < 24.2, "the frames' length, not the guess"
    refuse_what_the_scan_refuses(path)  # no DecodeError


def test_each_mp3_is_counted_once_where_it_is_probed_never_in_the_write(conn, music,
                                                                        monkeypatch):
    """The frames were walked twice per file, the second time in the batch's write
    transaction: the window waited on the library meanwhile (0.9 s a batch of 50)."""
    for i in range(3):
        vbr_without_length_header(music / f"cbr{i}.mp3", 6.0, options={"b": "128k"})
    walks: list[bool] = []
    walked = mpeg_frames._walked

    def counting(*args):
        walks.append(conn.in_transaction)
        return walked(*args)

    monkeypatch.setattr(mpeg_frames, "_walked", counting)
    rep = scan_roots(conn, [str(music)])
    assert rep.added == 3 and rep.errors == []
    assert walks == [False, False, False], "once per file, outside any transaction"
    durations = [r[0] for r in conn.execute("SELECT duration FROM tracks")]
    assert all(5.9 < d < 6.2 for d in durations)
