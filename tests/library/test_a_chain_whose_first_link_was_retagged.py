"""``mv b.flac c.flac; mv a.flac b.flac``, then b.flac retagged (a tag editor fixing the moved
file's artist), then one scan: c.flac is b's song moved, and b.flac a's song moved and
retagged. Each track follows its song, keeping its id, vectors and playlist place — not a
new track at c.flac, b's track read changed (its vectors dropped, its playlist place playing
a's song) and a's missing. In any order the scan reads the names, and in a batch of the
folder watch; a file edited in place beside the chain is still changed."""

from __future__ import annotations

import os

import pytest
from library_audio import write_tags
from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _library(ctx, conn, tmp_path, make_audio, names):
    """One song a file, each tagged with its title and with a vector and a playlist place."""
    music = tmp_path / "music"
    for i, n in enumerate(names):
        make_audio(music / n, freq=220.0 + 110 * i, tags={"title": n.upper()})
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{music / n}\n" for n in names), encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    ids = {n: conn.execute("SELECT id FROM tracks WHERE path = ?",
                           (str(music / n),)).fetchone()[0] for n in names}
    with conn:
        for tid in ids.values():
            conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                         " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (tid,))
    return music, ids


def _chain(music, first: str, second: str, third: str) -> None:
    """``mv second third; mv first second``, then ``second`` retagged."""
    os.replace(music / second, music / third)
    os.replace(music / first, music / second)
    write_tags(os.fsencode(music / second), "flac", {"artist": "Fixed"})


def _followed(conn, music, ids, moves: dict[str, str]) -> None:
    """Each track at the path its song went to, with its vector and its playlist place."""
    name = {v: k for k, v in ids.items()}
    assert {name[r[0]]: os.path.basename(r[1]) for r in conn.execute(
        "SELECT id, path FROM tracks")} == moves
    assert sorted(r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")) \
        == sorted(ids.values()), "every vector kept"
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries ORDER BY position")
            ] == list(ids.values()), "each playlist place plays its song still"
    artist = conn.execute("SELECT artist FROM tracks WHERE id = ?",
                          (ids[next(iter(moves))],)).fetchone()[0]
    assert artist == "Fixed", "the retagged file's tags read"


@pytest.mark.parametrize("names", [("a.flac", "b.flac", "c.flac"),   # the link read first
                                   ("c.flac", "b.flac", "a.flac")])  # the new name first
def test_a_chain_whose_first_link_was_retagged_keeps_each_song(ctx, conn, tmp_path,
                                                               make_audio, names):
    first, second, third = names
    music, ids = _library(ctx, conn, tmp_path, make_audio, [first, second])
    _chain(music, first, second, third)

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 2, 0)
    _followed(conn, music, ids, {first: second, second: third})


def test_a_chain_whose_first_link_was_retagged_in_one_watch_batch(ctx, tmp_path, make_audio):
    conn = connect(ctx)
    music, ids = _library(ctx, conn, tmp_path, make_audio, ["a.flac", "b.flac"])
    watch = Watching(ctx, embed=False)
    try:
        _chain(music, "a.flac", "b.flac", "c.flac")
        wait_until(lambda: sum(r.scan.moved for r in watch.reports) >= 2
                   or any(r.scan.added or r.scan.updated for r in watch.reports),
                   "the chain's batch")
    finally:
        watch.stop()
    assert [(r.scan.added, r.scan.updated, r.scan.missing) for r in watch.reports
            if not r.empty] in ([(0, 0, 0)], [(0, 0, 0), (0, 0, 0)])
    _followed(connect(ctx), music, ids, {"a.flac": "b.flac", "b.flac": "c.flac"})


def test_a_file_edited_in_place_beside_the_chain_is_changed(ctx, conn, tmp_path, make_audio):
    """A guard: d.flac's new audio is no other track's: its own track's, changed."""
    music, ids = _library(ctx, conn, tmp_path, make_audio, ["a.flac", "b.flac", "d.flac"])
    _chain(music, "a.flac", "b.flac", "c.flac")
    make_audio(music / "d.flac", freq=990.0, tags={"title": "D"})

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 1, 2, 0)
    assert report.examples["changed"] == [str(music / "d.flac")]
    assert sorted(r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")) \
        == sorted([ids["a.flac"], ids["b.flac"]]), "only the edited file's vector dropped"
