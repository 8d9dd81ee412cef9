"""A library scanned before WAV tags (RIFF INFO) were read gets them from its next scan: a
rescan never opens an unchanged file, so its WAV tracks kept no artist and no album for
good. Read again without analysing anything again, and counted unchanged."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import soundfile as sf

from musicsage import cli
from musicsage.library import db


def tagged_wav(path, title: str, artist: str, album: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sf.SoundFile(str(path), "w", 16000, 1, format="WAV") as fh:
        fh.title, fh.artist, fh.album = title, artist, album
        fh.write((0.2 * np.sin(np.arange(8000) / 5)).astype(np.float32))


def as_an_older_version_left_it(db_path) -> None:
    """The rows a version without the RIFF INFO reader wrote: the file's name as its title,
    no artist or album; analysed (a vector kept); the schema of that time."""
    db.close_thread_connections()  # the next command opens it as a new process would
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute("UPDATE tracks SET title = 'song', artist = NULL, album = NULL,"
                     " albumartist = NULL, needs_analysis = 0")
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) SELECT id, 'spectral', 'v', 2, x'0000803f0000803f' FROM tracks")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 5")


def test_a_rescan_reads_the_tags_an_older_version_left_unread(tmp_path, capsys):
    data, music = tmp_path / "data", tmp_path / "music"
    tagged_wav(music / "song.wav", "Night Drive", "The Band", "First Light")
    other = music / "untagged.flac"  # no tags to read: left as it is
    sf.write(str(other), np.zeros(8000, np.float32), 16000, format="FLAC")
    assert cli.main(["scan", str(music), "--data-dir", str(data)]) == 0
    db_path = data / "library.sqlite3"
    as_an_older_version_left_it(db_path)
    capsys.readouterr()

    assert cli.main(["scan", "--data-dir", str(data)]) == 0

    out = capsys.readouterr().out
    assert "0 new, 0 changed, 2 unchanged" in out, out
    with closing(sqlite3.connect(db_path)) as conn:
        rows = {r[0]: r[1:] for r in conn.execute(
            "SELECT format, title, artist, album, needs_analysis FROM tracks")}
        vectors = conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0]
    assert rows["wav"] == ("Night Drive", "The Band", "First Light", 0)
    assert rows["flac"] == ("song", None, None, 0)  # not a format read differently now
    assert vectors == 2, "nothing analysed again"

    assert cli.main(["scan", "--data-dir", str(data)]) == 0  # once: the stamp is the file's
    assert "0 changed, 2 unchanged" in capsys.readouterr().out
