"""First scan vs re-scan of N generated, tagged audio files (target: re-scan ≤ 10% of first).

    .venv/bin/python bench/scan.py [--files 2000] [--repeats 3] [--keep DIR]

Files: a mix of WAV, FLAC, Ogg Vorbis, Opus, MP3, AIFF (libsndfile) and M4A/AAC (PyAV), 0.5 s each, tagged
with mutagen, in 40 folders. Each repeat starts from an empty DB ("first scan": walk, read tags,
probe-decode, insert) and then scans again unchanged ("re-scan": walk + stat only). Generation is
not timed. Files are in the page cache for both scans (just written), so the figure measures our
work, not a cold disk. Prints a table and writes bench/results/scan.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from musicsage.library.db import open_connection  # noqa: E402
from musicsage.library.scan import resolve_roots, scan_roots  # noqa: E402

FORMATS = [("wav", "WAV", "PCM_16"), ("flac", "FLAC", "PCM_16"), ("ogg", "OGG", "VORBIS"),
           ("opus", "OGG", "OPUS"), ("mp3", "MP3", "MPEG_LAYER_III"), ("aiff", "AIFF", "PCM_16"),
           ("m4a", None, None)]
SR = 22050


def _tone(seconds: float, freq: float, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _write_m4a(path: Path, x: np.ndarray) -> None:
    import av

    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=SR)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(x[None, :], format="fltp", layout="mono")
        frame.sample_rate = SR
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def generate(root: Path, n: int, seconds: float = 0.5) -> dict[str, int]:
    """Write n tagged files; return the count per format. Encoded once per format, then copied
    (with fresh tags per copy) so generation stays quick; the scan cannot tell."""
    import mutagen
    import soundfile as sf
    from mutagen.id3 import TALB, TIT2, TPE1

    templates = {}
    tmpl_dir = root / "_templates"
    tmpl_dir.mkdir(parents=True)
    for ext, fmt, subtype in FORMATS:
        p = tmpl_dir / f"t.{ext}"
        if fmt is None:
            _write_m4a(p, _tone(seconds, 330.0))
        elif ext == "opus":  # Opus only runs at 48 kHz (and its 8/12/16/24 kHz subsets)
            sf.write(p, _tone(seconds, 440.0, 48000), 48000, format=fmt, subtype=subtype)
        else:
            sf.write(p, _tone(seconds, 440.0), SR, format=fmt, subtype=subtype)
        templates[ext] = p
    counts = {ext: 0 for ext, _, _ in FORMATS}
    for i in range(n):
        ext = FORMATS[i % len(FORMATS)][0]
        folder = root / "music" / f"Artist {i % 40:02d}" / f"Album {i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i:05d} Track {i}.{ext}"
        shutil.copyfile(templates[ext], path)
        title, artist, album = f"Track {i}", f"Artist {i % 40:02d}", f"Album {i % 7}"
        f = mutagen.File(path)
        if ext in ("flac", "ogg", "opus"):
            f["title"], f["artist"], f["album"] = title, artist, album
        elif ext == "m4a":
            f["\xa9nam"], f["\xa9ART"], f["\xa9alb"] = title, artist, album
        else:
            if f.tags is None:
                f.add_tags()
            f.tags.add(TIT2(encoding=3, text=[title]))
            f.tags.add(TPE1(encoding=3, text=[artist]))
            f.tags.add(TALB(encoding=3, text=[album]))
        f.save()
        counts[ext] += 1
    shutil.rmtree(tmpl_dir)
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--keep", default=None, help="generate into (and keep) this dir")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="musicsage-bench-scan-"))
    try:
        t0 = time.perf_counter()
        counts = generate(work, args.files) if not (work / "music").exists() else {}
        gen_s = time.perf_counter() - t0
        roots = resolve_roots([work / "music"])
        firsts, rescans = [], []
        for r in range(args.repeats):
            db = work / f"db{r}" / "library.sqlite3"
            conn = open_connection(db)
            t = time.perf_counter()
            first = scan_roots(conn, roots)
            firsts.append(time.perf_counter() - t)
            t = time.perf_counter()
            again = scan_roots(conn, roots)
            rescans.append(time.perf_counter() - t)
            assert first.added == args.files and not first.errors, (first.added, first.errors[:3])
            assert again.unchanged == args.files and again.added == again.updated == 0
            conn.close()
        first_s, rescan_s = statistics.median(firsts), statistics.median(rescans)
        ratio = rescan_s / first_s
        print(f"files: {args.files} ({', '.join(f'{k} {v}' for k, v in counts.items())}); "
              f"generated in {gen_s:.1f} s")
        print(f"{'':12}{'median s':>10}{'files/s':>10}   runs")
        print(f"{'first scan':12}{first_s:10.2f}{args.files / first_s:10.0f}   "
              + " ".join(f"{x:.2f}" for x in firsts))
        print(f"{'re-scan':12}{rescan_s:10.3f}{args.files / rescan_s:10.0f}   "
              + " ".join(f"{x:.3f}" for x in rescans))
        verdict = "met" if ratio <= 0.10 else "NOT met"
        print(f"re-scan / first = {ratio:.1%} (target ≤ 10%: {verdict})")
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "scan.json").write_text(json.dumps({
            "files": args.files, "formats": counts, "repeats": args.repeats,
            "first_scan_s": firsts, "rescan_s": rescans, "first_scan_median_s": first_s,
            "rescan_median_s": rescan_s, "ratio": ratio, "target_met": ratio <= 0.10,
            "cpu_count": os.cpu_count()}, indent=2) + "\n")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
