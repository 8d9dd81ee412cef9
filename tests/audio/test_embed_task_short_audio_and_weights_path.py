"""``embed`` and two inputs a user can hand it (task embed).

A file of 1 or 10 samples decodes, and every model pads it to its frame: it got a vector of
that padding (near silence), stored as if analysed, and listed as a neighbour of every track.
It is one file's failure, with its reason, as other files that cannot be analysed are.

``--openl3-weights '~nouser/w.pt'`` (a user this system does not know) ended in "unexpected
error (RuntimeError: Could not determine home directory.)" and a crash log; it is one line,
as every other path option says it.
"""

from __future__ import annotations

import numpy as np
from embed_support import written_track

from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, list_errors


def test_a_file_of_a_few_samples_fails_with_its_reason_and_stores_no_vector(ctx, tmp_path):
    t = np.arange(2 * 22050) / 22050
    song = written_track(ctx, tmp_path / "song.wav", 0.3 * np.sin(2 * np.pi * 440 * t))
    one = written_track(ctx, tmp_path / "one.wav", np.array([0.5]))
    ten = written_track(ctx, tmp_path / "ten.flac",
                        0.3 * np.random.default_rng(0).standard_normal(10))
    rep = run_embed_job(ctx, SpectralEmbedder())
    assert (rep.embedded, rep.failed) == (1, 2)
    said = dict(rep.errors)
    assert said[str(tmp_path / "one.wav")].startswith(
        "one.wav: too short to analyse (1 sample of audio; at least 0.1 s is needed)")
    assert said[str(tmp_path / "ten.flac")].startswith(
        "ten.flac: too short to analyse (10 samples of audio;")
    ids, _ = get_embeddings(connect(ctx), "spectral", track_ids=[song, one, ten])
    assert list(ids) == [song]  # no vector of padding for the neighbour lists
    recorded = {e["message"] for e in list_errors(connect(ctx), "embed:spectral")}
    assert recorded == set(said.values())


def test_a_short_max_seconds_is_no_short_file(ctx, tmp_path):
    t = np.arange(2 * 22050) / 22050
    written_track(ctx, tmp_path / "song.wav", 0.3 * np.sin(2 * np.pi * 440 * t))
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=0.05, n_excerpts=1))
    assert (rep.embedded, rep.failed) == (1, 0)


def test_openl3_weights_of_an_unknown_users_home_is_one_line(ctx, tmp_path, capsys):
    written_track(ctx, tmp_path / "song.wav", np.zeros(22050))  # a library, with a track to embed
    code = main(["embed", "--openl3-weights", "~nouser_embed_task/w.pt",
                 "--data-dir", str(ctx.data_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        "musicsage embed: ~nouser_embed_task/w.pt: ~nouser_embed_task names no home folder on "
        "this system (no user 'nouser_embed_task'); give the folder's full path (nothing was "
        "embedded)"]


def test_a_length_just_under_the_least_is_not_shown_as_the_least():
    """4,409 samples at 44.1 kHz (0.09998 s) read "0.10 s of audio; at least 0.1 s is
    needed": the length is shown rounded down, never as the minimum it falls short of."""
    from musicsage.audio.decode import AudioInfo
    from musicsage.audio.embed_words import too_short_error

    info = AudioInfo("/m/n.wav", 4409 / 44100, 44100, 1, "soundfile")
    said = too_short_error("/m/n.wav", info, 4409, 22050, 30.0)
    assert said is not None and "(99 ms of audio; at least 0.1 s is needed)" in said
    assert too_short_error("/m/n.wav", AudioInfo("/m/n.wav", 0.1, 44100, 1, "soundfile"),
                           4410, 22050, 30.0) is None


def test_a_stream_of_unknown_length_resampled_a_sample_short_is_not_too_short():
    """0.07 s asked of a 48 kHz stream whose length is not stated came to 1,543 samples at
    22,050 Hz (0.069977 s) and was refused as too short, though it holds all that was asked."""
    from musicsage.audio.decode import AudioInfo
    from musicsage.audio.embed_words import too_short_error

    info = AudioInfo("/m/live.aac", None, 48000, 2, "pyav")
    assert too_short_error("/m/live.aac", info, 1543, 22050, 0.07) is None
    assert too_short_error("/m/live.aac", info, 1000, 22050, 0.07) is not None  # it ended
    voice = AudioInfo("/m/voice.wav", None, 8000, 1, "pyav")  # resampled up: 2.76 ours a sample
    assert too_short_error("/m/voice.wav", voice, 1105, 22050, 0.05016) is None
