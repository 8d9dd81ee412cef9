"""Memory that runs out decoding a track is told apart from a damaged file, and only a real
allocation failure counts as such.

- FFmpeg returns ENOMEM for some damaged files (a packet whose stored size is 4 GiB), which
  PyAV raises as ``av.error.MemoryError`` — a ``MemoryError`` too. ``embed`` said of such a
  file "not enough memory to analyse 20 s … analyse fewer seconds" (even at
  ``--max-seconds 1``) and that it "is not damaged"; it is damaged: "replace it" is right.
- ``read_spans`` let a real ``MemoryError`` through bare, and ``tags --library`` (which records
  a :class:`MusicsageError` as one track's failure) crashed with "unexpected error …
  this is a bug" instead of failing that track and tagging the next.
- A stopped ``embed``'s line told the user to replace the file the memory ran out on
  ("two hours.wav and 1 more: replace it, …; 1 of them not damaged").
- ``embed --json`` could not tell the tracks short of memory apart, and with one gone and one
  short of memory its note read as if one track alone had failed.
"""

from __future__ import annotations

import json

import av
import numpy as np
import pytest
import soundfile as sf
from test_embed_job import add_tracks, make_track
from test_tags_of_silence import tagger  # noqa: F401  (the fixture: MusiCNN stood in for)

from musicsage.audio import decode
from musicsage.audio.embed_job import EmbedReport, prepare_track, run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.cli import main
from musicsage.errors import MusicsageError


def _damaged_fragmented_mp4(path, *, sr: int = 48000, seconds: float = 3.0):
    """An AAC file in a fragmented MP4 (``movflags=frag_keyframe+empty_moov``) whose 11th
    packet's stored size is 0xFFFFFFFF (4 bytes overwritten, as a fuzzer did): FFmpeg answers
    its read with ENOMEM."""
    with av.open(str(path), "w", format="mp4",
                 options={"movflags": "frag_keyframe+empty_moov"}) as out:
        stream = out.add_stream("aac", rate=sr)
        stream.layout = "stereo"
        t = np.arange(int(seconds * sr)) / sr
        audio = np.stack([0.3 * np.sin(2 * np.pi * 440 * t)] * 2).astype(np.float32)
        for i in range(0, audio.shape[1], 1024):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(audio[:, i:i + 1024]),
                                               format="fltp", layout="stereo")
            frame.sample_rate = sr
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = bytearray(path.read_bytes())
    at = data.index(b"trun") + 4  # its version and flags, then the sample count
    flags = int.from_bytes(data[at:at + 4], "big")
    assert flags & 0x200, "the fragment lists each sample's size"
    entry = at + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 4)
    per_sample = 4 * sum(bool(flags & f) for f in (0x100, 0x200, 0x400, 0x800))
    size_at = entry + 10 * per_sample + 4 * bool(flags & 0x100)
    data[size_at:size_at + 4] = b"\xff" * 4
    path.write_bytes(bytes(data))
    return path


def test_ffmpegs_enomem_of_a_damaged_file_is_said_damaged(ctx, tmp_path):
    bad = _damaged_fragmented_mp4(tmp_path / "damaged.mp4")
    with pytest.raises(decode.DecodeError) as raised:
        decode.read_spans(bad, [(0.0, 3.0)], sr=16000)
    assert not isinstance(raised.value, decode.DecodeMemoryError)
    av_error = pytest.importorskip("av.error")
    if not isinstance(raised.value.__cause__, av_error.MemoryError):
        pytest.skip("this FFmpeg build does not answer the damage with ENOMEM")
    assert "not enough memory" not in str(raised.value)

    prepared = prepare_track(SpectralEmbedder(max_seconds=1.0), 1, str(bad))
    assert not prepared.memory and "not enough memory" not in prepared.error
    add_tracks(ctx, [bad])
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=1.0), cores=1)
    assert (rep.failed, rep.short_of_memory) == (1, 0)
    assert "re-rip it" in rep.failed_advice and "--max-seconds" not in rep.failed_advice


def _oom_of_stereo(monkeypatch) -> None:
    """The mix-down of a stereo file's excerpt cannot have its memory (numpy's words);
    mono files read as before."""
    real = decode.to_mono

    def to_mono(x):
        if np.ndim(x) == 2 and np.shape(x)[1] == 2:
            raise MemoryError("Unable to allocate 2.76 GiB for an array with shape "
                              "(370000000,) and data type float64")
        return real(x)

    monkeypatch.setattr(decode, "to_mono", to_mono)


def _stereo(path, seconds: float = 2.0, sr: int = 16000):
    x = 0.2 * np.sin(2 * np.pi * 330 * np.arange(int(seconds * sr)) / sr)
    sf.write(path, np.stack([x, x], 1).astype(np.float32), sr)
    return path


def test_a_read_the_memory_runs_out_on_is_one_files_failure(tmp_path, monkeypatch):
    _oom_of_stereo(monkeypatch)
    with pytest.raises(decode.DecodeMemoryError) as raised:
        decode.read_spans(_stereo(tmp_path / "long mix.wav"), [(0.0, 2.0)], sr=16000)
    assert isinstance(raised.value, MusicsageError)
    assert str(raised.value).startswith("long mix.wav: not enough memory")


def test_resampling_the_memory_runs_out_on_is_one_files_failure(tmp_path, monkeypatch):
    def resample(x, sr_in, sr_out):
        raise MemoryError("Unable to allocate 1.20 GiB")

    monkeypatch.setattr(decode, "resample", resample)
    with pytest.raises(decode.DecodeMemoryError):
        decode.read_spans(make_track(tmp_path / "a.wav", 0, seconds=1.0), [(0.0, 1.0)],
                          sr=16000)


def test_tags_library_fails_the_track_short_of_memory_and_tags_the_next(
        ctx, tmp_path, capsys, monkeypatch, tagger):  # noqa: F811
    music = tmp_path / "music"
    music.mkdir()
    add_tracks(ctx, [_stereo(music / "long mix.wav"),
                     make_track(music / "song.wav", 1, seconds=2.0, sr=16000)])
    _oom_of_stereo(monkeypatch)
    code = main(["tags", "--library", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("tagged 1 track (0 were tagged before, 1 failed")
    assert "long mix.wav: not enough memory" in err and "unexpected error" not in err


def test_embed_json_counts_tracks_short_of_memory_apart(ctx, tmp_path, capsys, monkeypatch):
    music = tmp_path / "music"
    music.mkdir()
    gone = make_track(music / "moved.wav", 2, seconds=1.0)
    add_tracks(ctx, [_stereo(music / "long mix.wav", sr=22050), gone])
    gone.unlink()
    _oom_of_stereo(monkeypatch)
    code = main(["embed", "--model", "spectral", "--json", "--data-dir", str(ctx.data_dir)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["failed"], report["vanished"], report["short_of_memory"]) == (2, 1, 1)


def test_one_gone_and_one_short_of_memory_are_two_failures_in_the_note():
    rep = EmbedReport("spectral", "1", "cpu", total=2, failed=2, vanished=1, short_of_memory=1)
    assert rep.failed_advice == (
        "the file that failed for want of memory is not damaged: analyse fewer seconds per "
        "track (embed --max-seconds); 1 more file that failed is gone since the last scan "
        "(deleted or moved): scan its music folder to mark it missing or find it moved, or "
        "put it back")


def _stopped_line(*counts: tuple[str, int, int, int]) -> str:
    """What a stopped ``embed`` says, after progress reports of (file, failed, gone, short
    of memory)."""
    from musicsage.commands.embed_progress import EmbedProgress
    from musicsage.progress import Progress

    seen = EmbedProgress(None)
    for i, (name, failed, gone, memory) in enumerate(counts, 1):
        seen(Progress("embed spectral", i, 9, name, {"failed": failed, "embedded": i - failed,
                                                      "vanished": gone,
                                                      "short_of_memory": memory}))
    return seen.kept("`musicsage embed`")


_FEWER = "not damaged: analyse fewer seconds per track (embed --max-seconds)"


@pytest.mark.parametrize("reports, words", [
    ([("moved.flac", 1, 1, 0), ("two hours.wav", 2, 1, 1)],  # gone, then short of memory
     f"2 failed (moved.flac: gone since the last scan: scan its music folder; 1 more is "
     f"{_FEWER})"),
    ([("two hours.wav", 1, 0, 1), ("moved.flac", 2, 1, 1)],  # short of memory, then gone
     f"2 failed (two hours.wav: {_FEWER}; 1 more: gone since the last scan: scan its music "
     "folder)"),
    ([("two hours.wav", 1, 0, 1), ("bad.flac", 2, 0, 1)],
     f"2 failed (two hours.wav: {_FEWER}; 1 more: replace it, or delete it and scan)"),
    ([("bad.flac", 1, 0, 0), ("b2.flac", 2, 0, 0), ("two hours.wav", 3, 0, 1)],
     f"3 failed (bad.flac and 1 more: replace them, or delete them and scan; 1 more is "
     f"{_FEWER})"),
])
def test_a_stopped_embed_tells_the_file_short_of_memory_apart(reports, words):
    said = _stopped_line(*reports)
    assert f"embedded and kept, {words}; run" in said


def test_a_real_allocation_failure_is_told_without_pyav(monkeypatch):
    """Without PyAV (it may be absent: the MP3 path works without it) a real allocation
    failure is still one: telling it apart from FFmpeg's ENOMEM must not import PyAV."""
    import sys

    monkeypatch.setitem(sys.modules, "av", None)
    monkeypatch.setitem(sys.modules, "av.error", None)
    assert decode.out_of_memory(MemoryError("Unable to allocate 2.76 GiB"))
    assert not decode.out_of_memory(ValueError("not memory"))
