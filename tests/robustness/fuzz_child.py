"""The fuzz run itself, in a child process of test_fuzz.py (a crash there must not take pytest
down, and a hang must be attributable to one case).

``python fuzz_child.py SEED WORKDIR N_RANDOM N_MUTATIONS`` feeds seeded random byte strings
and random mutations of valid M3U/PLS/XSPF/WAV/FLAC/MP3/Ogg files to the playlist parsers, the
playlist import (parse, resolve, store) and the decoders (``audio.decode`` and the scan's
``library.tags.probe``). For every call it prints ``case I TARGET`` before and ``ok``,
``expected TYPE`` (a MusicsageError) or ``UNEXPECTED TYPE: message`` after, then ``done``.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from musicsage.audio import decode
from musicsage.errors import MusicsageError
from musicsage.library import tags
from musicsage.library.db import open_connection
from musicsage.library.playlists import FORMATS, import_playlist_file

M3U = ("#EXTM3U\n#PLAYLIST:Mix\n#EXTINF:123,Artist - Title\n/music/a.flac\n"
       "#EXTINF:-1,Other\n../rel/b.mp3\nfile:///music/c%20d.ogg\nhttp://radio/stream\n"
       "C:\\Users\\me\\Music\\Album\\01.mp3\n").encode()
PLS = ("[playlist]\nFile1=/music/a.flac\nTitle1=A\nFile2=file:///music/b.mp3\n"
       "Length2=100\nNumberOfEntries=2\nVersion=2\n").encode()
XSPF = ('<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" '
        'xmlns="http://xspf.org/ns/0/"><title>T</title><trackList>'
        '<track><location>file:///music/a.flac</location><title>A</title>'
        '<creator>B</creator></track><track><location>rel/c.mp3</location></track>'
        '</trackList></playlist>').encode()
PLAYLIST_SAMPLES = {".m3u": M3U, ".m3u8": M3U, ".pls": PLS, ".xspf": XSPF}
AUDIO_FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"),
                 ".mp3": ("MP3", "MPEG_LAYER_III"), ".ogg": ("OGG", "VORBIS")}


def audio_sample(ext: str) -> bytes:
    sr = 8000
    t = np.arange(int(0.6 * sr)) / sr
    x = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    buf = io.BytesIO()
    fmt, subtype = AUDIO_FORMATS[ext]
    sf.write(buf, x, sr, format=fmt, subtype=subtype)
    return buf.getvalue()


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    b = bytearray(data)
    for _ in range(int(rng.integers(1, 4))):
        kind = int(rng.integers(6))
        n = len(b)
        if n == 0:
            b = bytearray(rng.bytes(int(rng.integers(1, 64))))
            continue
        i = int(rng.integers(n))
        if kind == 0:  # flip bits
            for j in rng.integers(0, n, size=int(rng.integers(1, 16))):
                b[int(j)] ^= 1 << int(rng.integers(8))
        elif kind == 1:  # overwrite a run with random bytes
            k = int(rng.integers(1, 64))
            b[i:i + k] = rng.bytes(k)
        elif kind == 2:  # truncate
            del b[i:]
        elif kind == 3:  # insert random bytes
            b[i:i] = rng.bytes(int(rng.integers(1, 256)))
        elif kind == 4:  # duplicate a chunk
            k = int(rng.integers(1, 512))
            b[i:i] = b[i:i + k]
        else:  # extreme values (sizes, counts in headers)
            for j in rng.integers(0, n, size=int(rng.integers(1, 8))):
                b[int(j)] = int(rng.choice([0x00, 0xFF, 0x7F, 0x80]))
    return bytes(b)


def cases(seed: int, n_random: int, n_mutations: int):
    """(kind, extension, bytes), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    exts = list(PLAYLIST_SAMPLES) + list(AUDIO_FORMATS)
    for _ in range(n_random):
        data = rng.bytes(int(rng.integers(0, 2048)))
        if rng.random() < 0.3:  # printable noise: gets further into the text parsers
            data = bytes(rng.integers(9, 127, size=len(data)).astype(np.uint8))
        yield "random", exts[int(rng.integers(len(exts)))], data
    samples = {**PLAYLIST_SAMPLES, **{e: audio_sample(e) for e in AUDIO_FORMATS}}
    for ext, sample in samples.items():
        for _ in range(n_mutations):
            yield "mutated", ext, mutate(sample, rng)


def targets(ext: str, path: Path, data: bytes, conn):
    if ext in PLAYLIST_SAMPLES:
        for fmt in FORMATS.values():
            yield f"parse-{fmt.name}", lambda fmt=fmt: fmt.parse(data, "x" + ext)
        yield "import-playlist", lambda: _import(conn, path)
    else:
        yield "decode", lambda: decode.read_spans(path, [(0.0, 0.5), (1e6, 1.0)], sr=8000)
        yield "scan-probe", lambda: tags.probe(str(path))


def _import(conn, path: Path) -> None:
    rep = import_playlist_file(conn, str(path))
    if rep.error:  # what the scan reports for a playlist it refuses
        raise MusicsageError(rep.error)


def main() -> None:
    seed, workdir, n_random, n_mutations = (int(sys.argv[1]), Path(sys.argv[2]),
                                            int(sys.argv[3]), int(sys.argv[4]))
    conn = open_connection(workdir / "fuzz.sqlite3")
    conn.execute("INSERT OR IGNORE INTO library_roots(path) VALUES ('/music')")
    conn.execute("INSERT OR IGNORE INTO tracks(path, title) VALUES ('/music/a.flac', 'A')")
    for i, (kind, ext, data) in enumerate(cases(seed, n_random, n_mutations)):
        path = workdir / f"case{ext}"
        path.write_bytes(data)
        for name, call in targets(ext, path, data, conn):
            print(f"case {i} {kind} {ext} {name}", flush=True)
            t0 = time.perf_counter()
            try:
                call()
                outcome = "ok"
            except MusicsageError as exc:
                outcome = f"expected {type(exc).__name__}"
            except Exception as exc:  # noqa: BLE001 - what the test is looking for
                text = str(exc).splitlines()[0][:200] if str(exc) else ""
                outcome = f"UNEXPECTED {type(exc).__name__}: {text}"
            print(f"{outcome} {time.perf_counter() - t0:.3f}", flush=True)
        os.remove(path)
    print("done", flush=True)


if __name__ == "__main__":
    main()
