"""Issue 16 items 3 and 7: file names that are not UTF-8, or hold a line break, work end to end.

A Latin-1 name from an old disk (``caf\\xe9``) is scanned, embedded, found by ``similar`` with
its own path, played, written to an M3U8 playlist and exported; a name holding a newline is
written to M3U8 so that the playlist reads back to the same tracks.
"""

from __future__ import annotations

import csv
import json
import os
import time
from urllib.parse import unquote_to_bytes

import numpy as np
import pytest
import soundfile as sf
from robust_support import (assert_clean_success, cli, db_snapshot, lines, tone_file,
                            tree_snapshot, write_audio)

from musicsage.library import paths as P

ODD_WAV = b"caf\xe9/d\xe9j\xe0 vu.wav"
ODD_M4A = b"caf\xe9/na\xefve \xff.m4a"


@pytest.fixture
def odd_library(tmp_path):
    music = os.fsencode(tmp_path / "music")
    tone_file(music + b"/" + ODD_WAV, seconds=2.0, freq=330)
    write_audio(music + b"/" + ODD_M4A, seconds=2.0, freq=500)
    for i, name in enumerate([b"plain one.flac", b"plain two.flac", b"plain three.wav"]):
        tone_file(music + b"/" + name, seconds=2.0, freq=200 + 150 * i)
    return music, tmp_path / "data"


class FakeStream:
    """Stands in for the sound card (as the playback tests do): pulls the callback."""

    def __init__(self, samplerate, channels, callback):
        self.samplerate, self.channels, self.callback = samplerate, channels, callback

    def start(self):
        pass

    def stop(self):
        pass

    def close(self):
        pass

    def pull(self, frames):
        out = np.zeros((frames, self.channels), np.float32)
        self.callback(out, frames, None, None)
        return out


def play(fs_path: str) -> tuple:
    """Play ``fs_path`` through the playback engine into a fake output: (engine, first samples)."""
    from musicsage.playback import PlaybackEngine

    made = []
    engine = PlaybackEngine(stream_factory=lambda sr, ch, cb: made.append(FakeStream(sr, ch, cb))
                            or made[-1])
    engine.load(fs_path, autoplay=True)
    deadline = time.monotonic() + 20
    while not engine.decoding_complete and engine.state != "error":
        assert time.monotonic() < deadline, "playback never finished decoding"
        time.sleep(0.01)
    assert engine.state != "error", engine.error
    return engine, made[0].pull(2048)


def test_non_utf8_name_scan_embed_similar_play_export(odd_library, tmp_path):
    music, data = odd_library
    before = tree_snapshot(music)

    scan = cli("scan", music, "--json", data_dir=data)
    assert_clean_success(scan)
    assert json.loads(scan.stdout)["added"] == 5 and json.loads(scan.stdout)["errors"] == []

    embed = cli("embed", "--model", "spectral", "--json", data_dir=data)
    assert_clean_success(embed)
    rep = json.loads(embed.stdout)
    assert (rep["embedded"], rep["failed"]) == (5, 0), rep["errors"]

    m3u = tmp_path / "out" / "similar.m3u8"
    m3u.parent.mkdir()
    for odd in (ODD_WAV, ODD_M4A):
        similar = cli("similar", music + b"/" + odd, "--space", "audio", "--json", "--m3u",
                      str(m3u), data_dir=data)
        assert_clean_success(similar)
        result = json.loads(similar.stdout)
        # the name's real bytes are the URI's (docs/cli.md, "Paths in JSON"); path shows "�"
        assert unquote_to_bytes(result["query"]["uri"].removeprefix("file://")) == \
            music + b"/" + odd
        assert len(result["audio"]) == 4
        text = m3u.read_bytes().decode("utf-8")  # valid UTF-8 whatever the names
        assert "file://" + os.fsdecode(music) + "/caf%E9/" in text

    # play: the window hands the engine TrackInfo.fs_path (the OS form of the stored path)
    from musicsage.context import AppContext
    from musicsage.usecases.library import get_track
    from musicsage.usecases.search import resolve_query

    ctx = AppContext.create(data)
    for odd in (ODD_WAV, ODD_M4A):
        track_id = resolve_query(ctx, os.fsdecode(music + b"/" + odd))
        info = get_track(ctx, track_id)
        assert os.fsencode(info.fs_path) == music + b"/" + odd
        engine, samples = play(info.fs_path)
        assert engine.duration > 0 and np.abs(samples).max() > 0.01
    reference, _ = sf.read(music + b"/" + ODD_WAV, dtype="float32", always_2d=True)
    _, samples = play(get_track(ctx, resolve_query(
        ctx, os.fsdecode(music + b"/" + ODD_WAV))).fs_path)
    np.testing.assert_allclose(samples[:, 0] / samples[:, 0].std(),
                               reference[:2048, 0] / reference[:2048, 0].std(), atol=1e-4)

    # export the library as a dataset dir, import it elsewhere: the odd path survives
    out = tmp_path / "dataset"
    assert_clean_success(cli("export", str(out), data_dir=data))
    with open(out / "tracks.csv", encoding="utf-8", newline="") as fh:
        paths = [row["path"] for row in csv.DictReader(fh)]
    assert {P.to_fs_bytes(p) for p in paths} >= {music + b"/" + ODD_WAV, music + b"/" + ODD_M4A}
    assert_clean_success(cli("import", str(out), data_dir=tmp_path / "other"))
    imported = db_snapshot(tmp_path / "other" / "library.sqlite3")["tracks"]
    assert music + b"/" + ODD_WAV in {P.to_fs_bytes(r[1]) for r in imported}

    assert tree_snapshot(music) == before  # the user's files untouched


def test_tags_of_a_non_utf8_file_name(odd_library):
    from musicsage.audio.musicnn.wheel import find_wheel
    from musicsage.context import AppContext

    if find_wheel(AppContext.create(odd_library[1])) is None:
        pytest.skip("MusiCNN checkpoints not set up (scripts/setup.sh fetches them)")
    music, data = odd_library
    proc = cli("tags", music + b"/" + ODD_WAV, "--top", "3", "--json", data_dir=data)
    assert_clean_success(proc)
    assert len(json.loads(proc.stdout)) == 3


def test_names_with_line_breaks_export_to_m3u8_that_reads_back(tmp_path):
    music = tmp_path / "music"
    names = ["two\nlines.flac", "carriage\rreturn.wav", "tab\there.wav", "para\u2029graph.wav",
             "ordinary.flac"]
    for i, name in enumerate(names):
        tone_file(music / name, seconds=1.0, freq=250 + 90 * i)
    data = tmp_path / "data"
    assert_clean_success(cli("scan", str(music), data_dir=data))
    assert_clean_success(cli("embed", "--model", "spectral", data_dir=data))
    m3u = tmp_path / "lists" / "neighbours.m3u8"
    m3u.parent.mkdir()
    proc = cli("similar", str(music / "two\nlines.flac"), "--space", "audio", "--m3u", str(m3u),
               data_dir=data)
    assert_clean_success(proc)
    entries = [line for line in m3u.read_text(encoding="utf-8").splitlines()
               if not line.startswith("#")]
    assert len(entries) == len(names)  # one line per track: no name was split in two
    assert "file://" + str(music) + "/two%0Alines.flac" in entries
    assert str(music / "ordinary.flac") in entries

    back = cli("scan", "--playlists", str(m3u), "--json", data_dir=data)
    assert_clean_success(back)
    playlist = json.loads(back.stdout)["playlists"][0]
    assert (playlist["entries"], playlist["resolved"]) == (len(names), len(names))


def test_m3u8_temporary_file_is_never_written_through_a_planted_link(tmp_path):
    """The old writer used ``.NAME.<pid>.tmp``: a link planted there sent the playlist into
    (and over) any file the user could write. Now the temporary file is made with O_EXCL."""
    from musicsage.usecases.search import write_m3u

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    dest = tmp_path / "list.m3u8"
    for pid in {os.getpid(), os.getppid()}:
        os.symlink(victim, tmp_path / f".{dest.name}.{pid}.tmp")
    track = {"path": "/music/a.flac", "title": "A", "artist": "B", "duration": 3}
    assert write_m3u(dest, [track]).tracks == 1
    assert victim.read_text() == "precious"
    assert not dest.is_symlink() and dest.read_text(encoding="utf-8").endswith("/music/a.flac\n")
    assert oct(dest.stat().st_mode & 0o777) == oct(0o644)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]
    assert lines(dest.read_text())[0] == "#EXTM3U"
