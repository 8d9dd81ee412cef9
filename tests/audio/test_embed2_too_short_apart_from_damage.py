"""Audio too short to analyse (under 0.1 s) is told apart from a damaged file (task embed2).

``embed`` of a library with a 1-sample WAV and a good one said "note: the file that failed is
tried again on every embedding run: replace it with a good copy (re-rip it), or delete it and
scan" — of a click, which no copy makes longer; the window's summary gave the same words, and
a stopped run said "one.wav: replace it, or delete it and scan". Such files are counted apart
(``too_short``, in ``--json`` too) with their own words.

Also: a WAV whose header claims an hour but holds 10 samples gets no vector, and fails as cut
short (damaged: the scan's "audio ends early"), not as too short; 0.2 s of silence is long
enough (only the length counts, not what is heard).
"""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from embed_support import track_row, written_track

from musicsage.audio.embed_job import EmbedReport, run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings

SHORT = "1 file is too short to analyse (under 0.1 s): it gets no vector"


def _song(ctx, tmp_path) -> int:
    t = np.arange(2 * 22050) / 22050
    return written_track(ctx, tmp_path / "song.wav", 0.3 * np.sin(2 * np.pi * 440 * t))


def test_embed_says_a_click_is_too_short_not_damaged(ctx, tmp_path, capsys):
    _song(ctx, tmp_path)
    written_track(ctx, tmp_path / "one.wav", [0.5])
    code = main(["embed", "--model", "spectral", "--data-dir", str(ctx.data_dir)])
    err = capsys.readouterr().err
    assert code == 0
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert notes == [f"note: {SHORT}"]
    assert "re-rip" not in err and "replace" not in err


def test_embed_json_counts_files_too_short_apart(ctx, tmp_path, capsys):
    _song(ctx, tmp_path)
    written_track(ctx, tmp_path / "one.wav", [0.5])
    written_track(ctx, tmp_path / "ten.flac", 0.3 * np.random.default_rng(0).standard_normal(10))
    (tmp_path / "bad.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + b"\x01" * 64)
    track_row(ctx, tmp_path / "bad.wav")
    code = main(["embed", "--model", "spectral", "--json", "--data-dir", str(ctx.data_dir)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["embedded"], report["failed"], report["too_short"]) == (1, 3, 2)


def test_the_windows_words_and_the_advice_of_each_kind():
    """The window's summary uses the same advice (controllers.summaries.describe_embed)."""
    from musicsage.controllers.summaries import describe_embed

    rep = EmbedReport("spectral", "1", "cpu", total=2, embedded=1, failed=1, too_short=1,
                      errors=[("/m/one.wav", "one.wav: too short to analyse (1 sample …)")])
    assert rep.failed_advice == SHORT
    assert describe_embed(rep).endswith(f". {SHORT[0].upper()}{SHORT[1:]}")
    mixed = EmbedReport("spectral", "1", "cpu", total=4, failed=3, too_short=2, vanished=1)
    assert mixed.failed_advice == (
        "2 files are too short to analyse (under 0.1 s): they get no vector; 1 more file "
        "that failed is gone since the last scan (deleted or moved): scan its music folder "
        "to mark it missing or find it moved, or put it back")
    damaged = EmbedReport("spectral", "1", "cpu", total=3, failed=2, too_short=1)
    assert damaged.failed_advice.startswith("the file that failed is tried again on every "
                                            "embedding run: replace it with a good copy")
    assert damaged.failed_advice.endswith(f"; {SHORT}")


def _stopped_line(*counts: tuple[str, int, int]) -> str:
    """What a stopped ``embed`` says after progress reports of (file, failed, too short)."""
    from musicsage.commands.embed_progress import EmbedProgress
    from musicsage.progress import Progress

    seen = EmbedProgress(None)
    for i, (name, failed, short) in enumerate(counts, 1):
        seen(Progress("embed spectral", i, 9, name, {"failed": failed, "embedded": i - failed,
                                                      "too_short": short}))
    return seen.kept("`musicsage embed`")


_WORDS = "too short to analyse (under 0.1 s): no vector"


@pytest.mark.parametrize("reports, words", [
    ([("one.wav", 1, 1)], f"1 failed (one.wav: {_WORDS})"),
    ([("one.wav", 1, 1), ("bad.flac", 2, 1)],
     f"2 failed (one.wav: {_WORDS}; 1 more: replace it, or delete it and scan)"),
    ([("bad.flac", 1, 0), ("one.wav", 2, 1), ("two.wav", 3, 2)],
     f"3 failed (bad.flac: replace it, or delete it and scan; 2 more are {_WORDS})"),
])
def test_a_stopped_embed_tells_the_file_too_short_apart(reports, words):
    said = _stopped_line(*reports)
    assert f"embedded and kept, {words}; run" in said


def _wav_claiming_an_hour(path, samples: int, sr: int = 22050) -> None:
    """A 16-bit mono WAV whose data chunk says 1 hour but holds ``samples`` samples."""
    data = (np.full(samples, 8000, dtype="<i2")).tobytes()
    claimed = 3600 * sr * 2
    fmt = struct.pack("<HHIIHH", 1, 1, sr, sr * 2, 2, 16)
    path.write_bytes(b"RIFF" + struct.pack("<I", 36 + claimed) + b"WAVE" + b"fmt "
                     + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", claimed) + data)


def test_a_header_claiming_an_hour_over_ten_samples_gets_no_vector(ctx, tmp_path):
    song = _song(ctx, tmp_path)
    _wav_claiming_an_hour(tmp_path / "liar.wav", 10)
    liar = track_row(ctx, tmp_path / "liar.wav")
    rep = run_embed_job(ctx, SpectralEmbedder())
    assert (rep.embedded, rep.failed, rep.too_short) == (1, 1, 0)
    # cut short, as the scan says it: a damaged file ("replace it" is right), not a short one
    assert "audio ends early" in dict(rep.errors)[str(tmp_path / "liar.wav")]
    ids, _ = get_embeddings(connect(ctx), "spectral", track_ids=[song, liar])
    assert list(ids) == [song]  # never a vector of padding, whatever the header says


def test_silence_of_two_tenths_of_a_second_is_embedded(ctx, tmp_path):
    quiet = written_track(ctx, tmp_path / "quiet.wav", np.zeros(int(0.2 * 22050)))
    rep = run_embed_job(ctx, SpectralEmbedder())
    assert (rep.embedded, rep.failed, rep.too_short) == (1, 0, 0)
    ids, _ = get_embeddings(connect(ctx), "spectral", track_ids=[quiet])
    assert list(ids) == [quiet]
