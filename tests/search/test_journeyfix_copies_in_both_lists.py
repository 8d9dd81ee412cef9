"""One song in both neighbour lists, under two copies of its file (the graph model lists
one, the audio list the other — each list shows one copy of a song), is "in both": ``similar
--json`` said ``in_both`` false of both rows, the CLI's ``*`` and the window's ◆ missed it.
Copies are told as the lists tell them (search/same_file.py's verdict on the files): two
songs that only share a content hash are two songs, not one in both lists."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import soundfile as sf
from search_helpers import run_cli

from musicsage.search.index import SpaceIndex
from musicsage.search.similar import similar_lists


def _song(path, tone: float, seconds: int = 3, rate: int = 44100) -> None:
    """A tone between a second of silence at each end: songs as long share a content hash."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


@pytest.fixture
def library(capsys, ctx, tmp_path):
    """Scanned (untagged) songs: ``query``, ``other``, ``copied`` and its byte-for-byte copy
    ``copy``, ``twin_a`` and ``twin_b`` (other tones, one content hash: not copies)."""
    music = tmp_path / "music"
    music.mkdir()
    for name, tone, seconds in (("query", 110, 4), ("other", 440, 5), ("copied", 220, 6),
                                ("twin_a", 330, 3), ("twin_b", 550, 3)):
        _song(music / f"{name}.wav", tone, seconds)
    shutil.copyfile(music / "copied.wav", music / "copy.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    from musicsage.library.db import connect

    conn = connect(ctx)
    ids = {os.path.basename(p)[:-4]: int(t)
           for t, p in conn.execute("SELECT id, path FROM tracks")}
    from musicsage.library.moves import current_hashes

    hashes = current_hashes(conn, ids.values())
    assert hashes[ids["twin_a"]] == hashes[ids["twin_b"]], "the twins share a content hash"
    assert hashes[ids["copied"]] == hashes[ids["copy"]] != hashes[ids["query"]]
    return conn, ids


def _space(name: str, ids: dict[str, int], near: list[str], tmp_path) -> SpaceIndex:
    """A space in which ``near`` rank in that order after the query, the rest far off."""
    order = ["query", *near, *[n for n in ids if n != "query" and n not in near]]
    vectors = np.full((len(order), 4), 0.0, np.float32)
    for i, n in enumerate(order):
        angle = 0.25 * i if n in near or n == "query" else 3.0
        vectors[i] = [np.cos(angle), np.sin(angle), 0.01 * i, 0.0]
    return SpaceIndex(name, [ids[n] for n in order], vectors, model_id=f"{name}-1",
                      directory=tmp_path / "index" / name)


def test_one_song_listed_by_each_space_under_another_copy_is_in_both(library, tmp_path):
    conn, ids = library
    spaces = {"graph": _space("graph", ids, ["copy", "twin_a", "other"], tmp_path),
              "audio": _space("audio", ids, ["copied", "twin_b", "other"], tmp_path)}
    result = similar_lists(conn, ids["query"], spaces, k=3)
    graph = {r["track_id"]: r["in_both"] for r in result.graph}
    audio = {r["track_id"]: r["in_both"] for r in result.audio}
    assert list(graph) == [ids["copy"], ids["twin_a"], ids["other"]]
    assert list(audio) == [ids["copied"], ids["twin_b"], ids["other"]]
    assert graph[ids["copy"]] and audio[ids["copied"]], "one song, a copy in each list"
    assert graph[ids["other"]] and audio[ids["other"]], "one track in both lists"
    assert not graph[ids["twin_a"]] and not audio[ids["twin_b"]], "one hash, two songs"


def test_the_map_rings_a_song_in_both_lists_as_both_at_each_copy(library, tmp_path):
    """The map drew the copy the graph model listed as "graph only" and the one audio
    listed as "audio only"; the twins (one hash, two songs) keep their own list's ring."""
    from musicsage.controllers.map import neighbour_marks
    from musicsage.gui.map_marks import AUDIO_COLOUR, BOTH_COLOUR, GRAPH_COLOUR, neighbour_rings

    conn, ids = library
    spaces = {"graph": _space("graph", ids, ["copy", "twin_a", "other"], tmp_path),
              "audio": _space("audio", ids, ["copied", "twin_b", "other"], tmp_path)}
    result = similar_lists(conn, ids["query"], spaces, k=3)
    graph_ids, audio_ids = neighbour_marks(result.graph, result.audio)
    order = list(ids.values())
    xy = np.arange(2 * len(order), dtype=np.float64).reshape(-1, 2)
    spots = neighbour_rings(xy, {t: i for i, t in enumerate(order)}, ids["query"],
                            set(graph_ids), set(audio_ids))
    colour = {spot["data"]: spot["pen"].color().name() for spot in spots}
    expected = {"copy": BOTH_COLOUR, "copied": BOTH_COLOUR, "other": BOTH_COLOUR,
                "twin_a": GRAPH_COLOUR, "twin_b": AUDIO_COLOUR}
    from pyqtgraph import mkColor

    assert colour == {ids[n]: mkColor(c).name() for n, c in expected.items()}


def test_the_count_and_the_windows_diamonds_take_a_copy_as_its_song(library, tmp_path):
    """``* = in both lists (N)`` counted track ids only (1 beside 2 songs starred), and the
    window's ◆ (``both_ids``) missed the copies the rows say are in both."""
    conn, ids = library
    spaces = {"graph": _space("graph", ids, ["copy", "twin_a", "other"], tmp_path),
              "audio": _space("audio", ids, ["copied", "twin_b", "other"], tmp_path)}
    result = similar_lists(conn, ids["query"], spaces, k=3)
    assert result.in_both == 2, "the copied song and 'other'"
    assert result.both_ids == {ids["copy"], ids["copied"], ids["other"]}
