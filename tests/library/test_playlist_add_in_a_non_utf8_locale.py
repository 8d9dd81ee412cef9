"""Tracks added to a playlist file in a session whose filesystem encoding is not UTF-8 (ASCII
under ``PYTHONUTF8=0 LC_ALL=C``; a plain ``LC_ALL=C`` turns on Python's UTF-8 mode) are
written as the plain names a UTF-8 session writes: every name with an ``é`` was written as a
``file://`` URI, since its OS form there (``\\udcc3\\udca9``) differs from its text. A
name that is not UTF-8 on disk is still a URI, and the written entries read back.

These run Python in a child process, since a process's filesystem encoding is fixed at its
start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

from musicsage.library.playlists import format_for

ROOT = Path(__file__).resolve().parents[2]
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
LATIN1_NAME = "/music/Caf\U0010ffe9/x.wav"  # the stored form of the bytes b"Caf\xe9"


def _in_an_ascii_session(child: str, *args: str) -> str:
    env = {**os.environ, **ASCII_LOCALE, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(child), *args], env=env,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("ascii")


APPEND = """
    import json, sys
    from musicsage.library.paths import to_fs
    from musicsage.library.playlists.append import append_tracks
    assert sys.getfilesystemencoding() == "ascii", sys.getfilesystemencoding()
    before, name, paths = json.loads(sys.argv[1])
    tracks = [{"path": p, "title": "T", "artist": None, "duration": 3} for p in paths]
    print(json.dumps(append_tracks(before.encode("latin-1"), to_fs(name), tracks).decode("latin-1")))
"""


def _appended(before: bytes, playlist: str, paths: list[str]) -> bytes:
    out = _in_an_ascii_session(APPEND, json.dumps([before.decode("latin-1"), playlist, paths]))
    return json.loads(out).encode("latin-1")


def test_accented_names_are_written_as_plain_text_in_every_style():
    paths = ["/music/Café/Montréal.wav", LATIN1_NAME]
    relative = _appended(b"#EXTM3U\n#EXTINF:1,a\na.wav\n", "/music/Café/mix.m3u8", paths)
    absolute = _appended(b"[playlist]\nFile1=/music/a.wav\nNumberOfEntries=1\n",
                         "/music/mix.pls", paths)
    cp1252 = _appended(b"/music/caf\xe9.wav\n", "/music/old.m3u", paths)
    locations = [[e.raw for e in format_for(name).parse(data, name).entries[1:]]
                 for name, data in (("mix.m3u8", relative), ("mix.pls", absolute),
                                    ("old.m3u", cp1252))]
    assert locations == [["Montréal.wav", "file:///music/Caf%E9/x.wav"],
                         ["/music/Café/Montréal.wav", "file:///music/Caf%E9/x.wav"],
                         ["/music/Café/Montréal.wav", "file:///music/Caf%E9/x.wav"]]
    assert b"\n/music/Caf\xe9/Montr\xe9al.wav\n" in cp1252  # in the file's own cp1252


ADD = """
    import json, sys
    from pathlib import Path
    from musicsage.context import AppContext
    from musicsage.library.db import connect
    from musicsage.usecases.suggest import add_to_playlist
    ctx = AppContext.create(Path(sys.argv[1]))
    track = connect(ctx).execute("SELECT id FROM tracks WHERE title = 'Montr' || char(233) "
                                 "|| 'al'").fetchone()[0]
    report = add_to_playlist(ctx, 1, [track])
    print(json.dumps([track, len(report.skipped)]))
"""


def test_an_add_in_an_ascii_session_writes_the_name_and_reads_it_back(tmp_path):
    from musicsage.context import AppContext
    from musicsage.library.db import connect
    from musicsage.library.relations import playlist_member_ids
    from musicsage.usecases.library import scan_library

    music = tmp_path / "music" / "Café"
    music.mkdir(parents=True)
    for name, title in (("night.wav", "Night"), ("Montréal.wav", "Montréal")):
        with sf.SoundFile(music / name, "w", 8000, 1, "PCM_16") as out:
            out.title = title
            out.write(0.2 * np.sin(np.arange(8000) * (0.3 + len(name) / 100)))
    (music / "mix.m3u8").write_bytes(b"night.wav\n")
    ctx = AppContext.create(tmp_path / "lib")
    scan_library(ctx, [str(tmp_path / "music")], playlists=[str(music / "mix.m3u8")])
    track, skipped = json.loads(_in_an_ascii_session(ADD, str(ctx.data_dir)))
    assert skipped == 0
    assert (music / "mix.m3u8").read_bytes() == "night.wav\nMontréal.wav\n".encode()
    assert track in playlist_member_ids(connect(ctx), 1)
