"""A chain of three or four renames seen by one scan or one batch of the folder watch: a
renumbering (``mv 03 04; mv 02 03; mv 01 02``), or ``mv c d; mv b c; mv a b``. The held
links were gone over once, in walk order: b's track was written as changed at b.wav (its
vector dropped), then moved to c.wav; b.wav was left with no track at all and a's track
missing, for ``forget --missing`` to take with its vector and playlist place. Each track now
follows its song whatever order the names are read in. A link renamed and retagged is a
move too (b's track was deleted as "overwritten")."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio, write_tags
from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _numbered(ctx, conn, tmp_path, count: int, ext: str = "wav") -> tuple:
    """01…0<count> scanned, each its own song with a vector, all in one playlist in order."""
    music = tmp_path / "music"
    names = [f"0{i}.{ext}" for i in range(1, count + 1)]
    for i, name in enumerate(names):
        write_audio(music / name, seconds=0.3, freq=220.0 + 110 * i, tags={"title": name})
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{music / n}\n" for n in names), encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    ids = [conn.execute("SELECT id FROM tracks WHERE path = ?", (str(music / n),)
                        ).fetchone()[0] for n in names]
    with conn:
        conn.executemany("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                         " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')",
                         [(t,) for t in ids])
    return music, names, ids


def _shift(music, names: list[str], last: str) -> None:
    """Each file renamed to the next one's name, the last's to ``last``, last first."""
    for old, new in reversed(list(zip(names, [*names[1:], last]))):
        os.replace(music / old, music / new)


def _each_song_followed(conn, music, names: list[str], ids: list[int], last: str) -> None:
    tracks = [tuple(r) for r in conn.execute("SELECT id, path, status FROM tracks ORDER BY id")]
    assert tracks == [(t, str(music / n), "present")
                      for t, n in zip(ids, [*names[1:], last])], "each track at its song"
    assert sorted(r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")) == ids
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries"
                                       " ORDER BY position")] == ids, "the playlist as it was"


@pytest.mark.parametrize("count", [3, 4])
@pytest.mark.parametrize("last", ["09.wav", "00.wav"])  # the new name read last, or first
def test_a_chain_of_renames_is_a_move_each(ctx, conn, tmp_path, count, last):
    music, names, ids = _numbered(ctx, conn, tmp_path, count)
    _shift(music, names, last)

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, count, 0)
    assert report.notes == [], "no track's audio was overwritten"
    _each_song_followed(conn, music, names, ids, last)
    again = scan_library(ctx)
    assert (again.added, again.updated, again.moved, again.unchanged) == (0, 0, 0, count)


def test_a_renumbering_in_one_batch_of_the_watch(ctx, conn, tmp_path):
    music, names, ids = _numbered(ctx, conn, tmp_path, 3)
    watch = Watching(ctx, embed=False)
    try:
        _shift(music, names, "04.wav")
        wait_until(lambda: any(r.scan.moved for r in watch.reports), "the renames' batch")
    finally:
        watch.stop()
    assert [r.summary() for r in watch.reports if not r.empty] \
        == ["3 moved ('04.wav' and 2 more)"]
    _each_song_followed(connect(ctx), music, names, ids, "04.wav")


@pytest.mark.parametrize("last", ["09.flac", "00.flac"])
def test_a_link_renamed_and_retagged_is_a_move(ctx, conn, tmp_path, last):
    """``mv 02 <last>; retag <last>; mv 01 02``: 02's song is found by its audio alone."""
    music, names, ids = _numbered(ctx, conn, tmp_path, 2, "flac")
    os.replace(music / names[1], music / last)
    write_tags(os.fsencode(music / last), "flac", {"artist": "Fixed"})
    os.replace(music / names[0], music / names[1])

    report = scan_library(ctx)

    assert (report.added, report.moved, report.missing) == (0, 2, 0)
    assert report.notes == [], "no track's audio was overwritten"
    _each_song_followed(conn, music, names, ids, last)
