"""``embed --max-seconds 7200`` on a 2-hour file asks for GiBs for that one track: the DSP
model's frames of it alone were 4.7 GiB. Where the memory runs out, the track's line says so
and what to do (analyse fewer seconds), not "cannot decode (Unable to allocate 2.37 GiB …)"
or "MemoryError: …" with the note to replace the file with a good copy (re-rip it) — the
file is fine, and the setting is remembered, so every run failed it the same way.

Decoding mixes a multi-channel file down as it reads it, a block at a time: a 5.1 file's
excerpt held six channels at once before it was averaged (12 times the mono excerpt with the
blocks joined), which is what ran out first for a long excerpt.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import soundfile as sf
from embed_support import written_track

from musicsage.audio import decode
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, list_errors

ALLOCATION = "Unable to allocate 4.73 GiB for an array with shape (310075, 2048) and data type float64"


def _track(ctx, path) -> int:
    x = 0.2 * np.sin(2 * np.pi * 330 * np.arange(5 * 22050) / 22050)
    return written_track(ctx, path, np.stack([x, x], 1))


def test_memory_running_out_on_a_track_is_said_as_such(ctx, tmp_path, monkeypatch):
    track = _track(ctx, tmp_path / "long mix.wav")

    def out_of_memory(x):
        raise MemoryError(ALLOCATION)  # numpy's words when an array cannot be had

    monkeypatch.setattr(decode, "to_mono", out_of_memory)
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=7200.0))
    assert (rep.embedded, rep.failed) == (0, 1)
    message = rep.errors[0][1]
    assert message.startswith("long mix.wav: not enough memory to analyse 5 s of its audio")
    assert "--max-seconds" in message
    assert "cannot decode" not in message and "MemoryError" not in message
    assert "re-rip" not in rep.failed_advice and "good copy" not in rep.failed_advice
    assert "--max-seconds" in rep.failed_advice
    recorded = list_errors(connect(ctx), "embed:spectral")
    assert [e["message"] for e in recorded] == [message]
    ids, _ = get_embeddings(connect(ctx), "spectral", track_ids=[track])
    assert len(ids) == 0  # no vector kept


def test_a_damaged_file_beside_it_keeps_its_own_advice(ctx, tmp_path, monkeypatch):
    _track(ctx, tmp_path / "a.wav")
    bad = tmp_path / "b.wav"
    bad.write_bytes(b"RIFF" + bytes(200))
    connect(ctx).execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(bad), "b"))

    def out_of_memory(x):
        raise MemoryError(ALLOCATION)

    monkeypatch.setattr(decode, "to_mono", out_of_memory)
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=7200.0))
    assert rep.failed == 2
    assert "re-rip it" in rep.failed_advice and "--max-seconds" in rep.failed_advice


def test_a_surround_excerpt_is_mixed_down_as_it_is_read(tmp_path):
    path = tmp_path / "5.1.wav"
    sr, seconds = 8000, 60
    rng = np.random.default_rng(0)
    sf.write(path, (0.1 * rng.standard_normal((sr * seconds, 6))).astype(np.float32), sr,
             subtype="FLOAT")
    mono_bytes = sr * seconds * 4
    tracemalloc.start()
    try:
        (x,) = decode.read_spans(path, [(0.0, float(seconds))], sr=sr)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    whole, _ = sf.read(path, dtype="float32", always_2d=True)
    np.testing.assert_allclose(x, whole.mean(axis=1), atol=1e-6)
    assert peak < 4 * mono_bytes, f"peak {peak / 1e6:.1f} MB for a {mono_bytes / 1e6:.1f} MB excerpt"


def _stopped_line(*counts: tuple[str, int, int, int]) -> str:
    """What a stopped ``embed`` says it kept, after progress reports of (file, failed,
    gone, short of memory)."""
    from musicsage.commands.embed_progress import EmbedProgress
    from musicsage.progress import Progress

    seen = EmbedProgress(None)
    for i, (name, failed, gone, memory) in enumerate(counts, 1):
        seen(Progress("embed spectral", i, 9, name, {"failed": failed, "embedded": i - failed,
                                                      "vanished": gone,
                                                      "short_of_memory": memory}))
    return seen.kept("`musicsage embed`")


def test_a_stopped_embed_does_not_say_to_replace_a_track_too_long_for_the_memory():
    said = _stopped_line(("ok.wav", 0, 0, 0), ("two hours.wav", 1, 0, 1))
    assert said.startswith("1 of 9 tracks embedded and kept, 1 failed (two hours.wav: not "
                           "damaged: analyse fewer seconds per track (embed --max-seconds))")
    assert "replace" not in said


def test_a_stopped_embed_tells_a_damaged_file_and_one_too_long_apart():
    said = _stopped_line(("bad.flac", 1, 0, 0), ("two hours.wav", 2, 0, 1))
    assert "(bad.flac: replace it, or delete it and scan; 1 more is not damaged: analyse " \
           "fewer seconds per track (embed --max-seconds))" in said
    assert "replace them" not in said  # the file too long for the memory is fine
