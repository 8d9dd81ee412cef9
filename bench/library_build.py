"""A benchmark music library of real-length tracks, as a user's collection has them.

    .venv/bin/python bench/library_build.py DIR [--tracks 1000] [--seconds 210] [--workers 2]

Built from the demo generator's plan (``musicsage.demo.library.plan_demo``): artists with a
style and a sound, albums, tagged tracks and M3U8/XSPF playlists that follow hidden scenes.
What differs from ``musicsage demo``: tracks are 3–4 minutes (``--seconds`` ± 15 %), 44.1 kHz
**stereo** (the demo writes 22.05 kHz mono: a real file costs a decoder twice the samples and
a resampler the 44.1 → 16/48 kHz conversion), and in the formats people have — MP3 (40 %),
FLAC (25 %), M4A/AAC (20 %), Ogg Vorbis (15 %) — with tags in each format's own scheme.

Rendering and encoding cost ≈ 4.5 s of CPU per track (render ≈ 1.7 s, MP3 encoding ≈ 6 s,
Ogg/AAC ≈ 2.4 s, FLAC ≈ 0.3 s): over an hour of CPU per 1,000 tracks, which a shared 2-core
machine cannot spare. So only the first ``--unique`` tracks (default 250) are rendered; every
later track is a byte copy of an earlier track *of the same format* (round-robin), re-tagged
with its own title, artist, album, number and year. Decoding such a file costs exactly what
decoding a unique one does (same codec, length and bit rate), which is what a throughput
benchmark needs; its audio vector equals its source's, which the timing of training and
mapping does not depend on (a quality benchmark must use ``--unique`` = ``--tracks``).

Resumable and idempotent: every file is written under a temporary name and renamed when
complete, and a file already there is not written again, so a killed build continues and a
finished one returns at once. Disk: ≈ 20 MB per FLAC and 3.5–4.5 MB per lossy track, so
≈ 9 GB per 1,000 tracks. Runs at low priority (nice 10).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SAMPLE_RATE = 44100
FORMAT_SHARES = {"mp3": 0.40, "flac": 0.25, "m4a": 0.20, "ogg": 0.15}
MARKER = "library-build.json"


def bench_plan(n_tracks: int, *, seconds: float, seed: int = 0):
    """The demo plan with each track's format drawn from :data:`FORMAT_SHARES` (seeded)."""
    from musicsage.demo.library import plan_demo

    plan = plan_demo(n_tracks, seed=seed, seconds=seconds)
    rng = np.random.default_rng([seed, 19])
    formats = rng.choice(list(FORMAT_SHARES), size=len(plan.tracks), p=list(FORMAT_SHARES.values()))
    plan.tracks = [dataclasses.replace(t, relpath=t.relpath.rsplit(".", 1)[0] + "." + str(fmt))
                   for t, fmt in zip(plan.tracks, formats)]
    return plan


def stereo_44k(mono: np.ndarray, rate: int) -> np.ndarray:
    """The generator's mono render → 44.1 kHz stereo (a slightly delayed, darker right channel)."""
    import soxr

    x = soxr.resample(mono.astype(np.float32), rate, SAMPLE_RATE).astype(np.float32)
    right = 0.85 * np.roll(x, 23) + 0.15 * np.convolve(x, np.ones(8, np.float32) / 8, mode="same")
    return np.ascontiguousarray(np.stack([x, right], axis=1) * 0.9, dtype=np.float32)


def encode(path: Path, fmt: str, audio: np.ndarray) -> None:
    """Write ``audio`` ([n, 2] float32 at 44.1 kHz) in ``fmt`` (in blocks: libsndfile's Vorbis
    encoder can crash on one very large write)."""
    if fmt == "m4a":
        _encode_m4a(path, audio)
        return
    import soundfile as sf

    kind, subtype = {"mp3": ("MP3", "MPEG_LAYER_III"), "flac": ("FLAC", "PCM_16"),
                     "ogg": ("OGG", "VORBIS")}[fmt]
    with sf.SoundFile(path, "w", SAMPLE_RATE, 2, format=kind, subtype=subtype) as out:
        for start in range(0, len(audio), 10 * SAMPLE_RATE):
            out.write(audio[start:start + 10 * SAMPLE_RATE])


def _encode_m4a(path: Path, audio: np.ndarray) -> None:
    import av

    planar = np.ascontiguousarray(audio.T)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=SAMPLE_RATE, layout="stereo")
        stream.bit_rate = 160_000
        for start in range(0, planar.shape[1], SAMPLE_RATE):
            frame = av.AudioFrame.from_ndarray(planar[:, start:start + SAMPLE_RATE],
                                               format="fltp", layout="stereo")
            frame.sample_rate = SAMPLE_RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def write_tags(path: Path, fmt: str, track) -> None:
    from musicsage.demo.library import write_tags as demo_tags

    if fmt != "m4a":
        demo_tags(path, fmt, track)
        return
    from mutagen.mp4 import MP4

    tagged = MP4(path)
    tagged["\xa9nam"] = [track.title]
    tagged["\xa9ART"] = [track.artist]
    tagged["aART"] = [track.artist]
    tagged["\xa9alb"] = [track.album]
    tagged["\xa9gen"] = [track.genre]
    tagged["\xa9day"] = [str(track.year)]
    tagged["trkn"] = [(track.track_number, 0)]
    tagged.save()


def write_track(root: Path, track, rate: int, source: Path | None = None) -> float:
    """Render, encode (or copy ``source``'s audio), tag one track atomically; the CPU seconds
    it took this thread."""
    import shutil

    from musicsage.demo.library import render_track

    cpu = time.thread_time()
    final = root / track.relpath
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.part.{track.format}")
    if source is None:
        audio = stereo_44k(render_track(track, sample_rate=rate), rate)
        encode(tmp, track.format, audio)
    else:
        shutil.copyfile(source, tmp)
    write_tags(tmp, track.format, track)
    os.replace(tmp, final)
    return time.thread_time() - cpu


def copy_sources(tracks: list, unique: int) -> dict[int, int]:
    """Track index → index of the rendered track of the same format whose audio it copies."""
    rendered: dict[str, list[int]] = {}
    for t in tracks[:unique]:
        rendered.setdefault(t.format, []).append(t.index)
    sources, turn = {}, {fmt: 0 for fmt in rendered}
    for t in tracks[unique:]:
        pool = rendered.get(t.format)
        if not pool:  # no rendered track of this format: render this one too
            continue
        sources[t.index] = pool[turn[t.format] % len(pool)]
        turn[t.format] += 1
    return sources


def build_library(music_dir: str | os.PathLike, n_tracks: int, *, seconds: float = 210.0,
                  seed: int = 0, unique: int = 250, workers: int = 2, log=print) -> dict:
    """Write (or complete) the library; returns its description (also stored in ``MARKER``)."""
    from musicsage.demo.library import write_playlists

    root = Path(music_dir).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    plan = bench_plan(n_tracks, seconds=seconds, seed=seed)
    marker = root / MARKER
    want = {"tracks": n_tracks, "seconds": seconds, "seed": seed, "sample_rate": SAMPLE_RATE,
            "unique": min(unique, n_tracks)}
    if marker.is_file():
        have = json.loads(marker.read_text())
        if {k: have.get(k) for k in want} == want and have.get("complete"):
            return have
    for part in root.rglob(".*.part.*"):
        part.unlink()
    sources = copy_sources(plan.tracks, unique)
    rendered = [t for t in plan.tracks if t.index not in sources]
    copies = [t for t in plan.tracks if t.index in sources]
    started, cpu, done = time.perf_counter(), 0.0, 0
    log(f"building {n_tracks} tracks in {root}: {len(rendered)} rendered, {len(copies)} copies "
        f"({workers} threads)")
    for group in (rendered, copies):  # every source exists before its copies start
        todo = [t for t in group if not (root / t.relpath).is_file()]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench-render") as pool:
            pending = {pool.submit(write_track, root, t, plan.sample_rate,
                                   root / plan.tracks[sources[t.index]].relpath
                                   if t.index in sources else None) for t in todo}
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    cpu += fut.result()
                    done += 1
                    if done % 25 == 0 or not pending:
                        log(f"  {done} tracks written, {time.perf_counter() - started:.0f} s")
    write_playlists(root, plan)
    sizes = [(root / t.relpath).stat().st_size for t in plan.tracks]
    counts = {fmt: sum(t.format == fmt for t in plan.tracks) for fmt in FORMAT_SHARES}
    info = {**want, "complete": True, "playlists": len(plan.playlists),
            "playlist_dir": str(root / "Playlists"), "formats": counts,
            "bytes": int(sum(sizes)), "audio_seconds": round(sum(t.duration for t in plan.tracks), 1),
            "build_cpu_s_this_run": round(cpu, 1),
            "build_wall_s_this_run": round(time.perf_counter() - started, 1)}
    marker.write_text(json.dumps(info, indent=2))
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--tracks", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=210.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--unique", type=int, default=250,
                    help="tracks rendered; later ones copy the audio of one of these")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    os.nice(10)
    info = build_library(args.dir, args.tracks, seconds=args.seconds, seed=args.seed,
                         unique=args.unique, workers=args.workers)
    print(json.dumps(info, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
