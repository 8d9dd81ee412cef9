"""``similar``: the JSON shape of docs/cli.md through the real DB and CLI, both spaces, missing
files, notes, ambiguity, M3U export, and a changed embedding changing the answer."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.usecases.library import import_dataset
from musicsage.usecases.search import similar_tracks, write_m3u
from musicsage.usecases.spaces import SearchSpaces

ROW_KEYS = {"track_id", "title", "artist", "path", "score"}


def run_cli(capsys, *args):
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def lib(library):
    library.add(40)
    library.vectors = clustered_vectors(40, clusters=4)  # cluster of track i = i % 4
    library.embed(library.vectors)
    return library


@pytest.fixture
def with_graph(ctx, lib):
    """A graph model stored as training stores one (its vectors chosen here, not trained: the
    graph model is another area's work): vectors that put tracks of the same *artist* (i % 5)
    together. Returns the model's space label."""
    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(5, 8)) * 3
    graph = (centres[np.arange(40) % 5] + rng.normal(size=(40, 8))).astype(np.float32)
    model_dir = new_model_dir(ctx, "spectral-test")
    write_embeddings(model_dir, np.array(lib.ids), graph)
    model_id = register_model(connect(ctx), ctx, model_dir, name="test", audio_model="spectral-test",
                              params={}, metrics={}, fingerprint="test")
    return f"graph-{model_id}"


def test_json_shape_with_audio_only(capsys, ctx, lib):
    rc, out, err = run_cli(capsys, "similar", "Song 000", "-k", "5", "--json",
                           "--data-dir", str(ctx.data_dir))
    assert rc == 0, err
    data = json.loads(out)
    assert {"query", "graph", "audio"} <= data.keys()
    assert {"track_id", "title", "artist", "path"} <= data["query"].keys()
    assert data["query"]["track_id"] == lib.ids[0] and data["query"]["title"] == "Song 000"
    assert data["graph"] == [] and "graph" in data["note"] and data["notes"]["graph"]
    rows = data["audio"]
    assert len(rows) == 5 and all(ROW_KEYS <= r.keys() for r in rows)
    assert lib.ids[0] not in [r["track_id"] for r in rows]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and all(-1 <= s <= 1 for s in scores)
    # neighbours come from the query's cluster (i % 4 == 0)
    assert all((r["track_id"] - lib.ids[0]) % 4 == 0 for r in rows)
    assert data["models"]["audio"] == "spectral-test"


def test_both_spaces_side_by_side_and_marked(capsys, ctx, lib, with_graph):
    data = similar_tracks(ctx, lib.ids[0], k=10, space="both")
    graph_ids = {r["track_id"] for r in data.graph}
    audio_ids = {r["track_id"] for r in data.audio}
    assert len(graph_ids) == len(audio_ids) == 10 and not data.notes
    both = graph_ids & audio_ids
    assert both, "clusters i%4 and i%5 share i%20: some tracks are in both lists"
    assert data.in_both == len(both)
    for name in ("graph", "audio"):
        assert all(r["in_both"] == (r["track_id"] in both) for r in data.rows(name))
    assert data.models == {"graph": with_graph, "audio": "spectral-test"}

    rc, out, _ = run_cli(capsys, "similar", str(lib.ids[0]), "--data-dir", str(ctx.data_dir))
    assert rc == 0
    lines = out.splitlines()
    assert lines[1].startswith(f"graph ({with_graph})") and "| audio (spectral-test)" in lines[1]
    assert sum(" * " in ln for ln in lines[2:22]) == 2 * len(both)
    assert "* = in both lists" in out


def test_one_space_requested_leaves_the_other_empty_with_a_note(ctx, lib, with_graph):
    data = similar_tracks(ctx, lib.ids[0], k=3, space="graph")
    assert len(data.graph) == 3 and data.audio == []
    assert data.notes == {"audio": "audio space not requested"}


def test_no_embeddings_at_all_is_a_note_not_a_crash(ctx, library):
    library.add(3)
    data = similar_tracks(ctx, library.ids[0], space="both")
    assert data.graph == data.audio == []
    assert "musicsage embed" in data.notes["audio"]


def test_missing_files_are_left_out_and_counted(ctx, lib):
    first = similar_tracks(ctx, lib.ids[0], k=5, space="audio").audio
    gone = [first[0]["track_id"], first[2]["track_id"]]
    for t in gone:
        lib.set_missing(t)
    data = similar_tracks(ctx, lib.ids[0], k=5, space="audio")
    ids = [r["track_id"] for r in data.audio]
    assert len(ids) == 5 and not set(gone) & set(ids)
    assert ids[:3] == [first[1]["track_id"], first[3]["track_id"], first[4]["track_id"]]
    assert data.skipped_missing == {"audio": 2}
    # a missing query track still gets its (playable) neighbours
    lib.set_missing(lib.ids[0])
    data = similar_tracks(ctx, lib.ids[0], k=5, space="audio")
    assert data.query["status"] == "missing" and len(data.audio) == 5


def test_a_query_track_without_a_vector_gets_a_note(ctx, lib):
    (new,) = lib.add(1, start=99)
    data = similar_tracks(ctx, new, space="audio")
    assert data.audio == [] and "no audio embedding" in data.notes["audio"]


def test_ambiguous_query_lists_candidates_and_fails(capsys, ctx, lib):
    rc, out, err = run_cli(capsys, "similar", "Artist 1", "--data-dir", str(ctx.data_dir))
    assert rc == 1
    assert len(err.strip().splitlines()) == 1 and "matches 8 tracks" in err
    assert out.count("Artist 1 - Song") == 8
    rc, out, err = run_cli(capsys, "similar", "Artist 1", "--json", "--data-dir", str(ctx.data_dir))
    assert rc == 1 and json.loads(out)["total"] == 8


def test_bad_k_and_no_match_fail_with_one_line(capsys, ctx, lib):
    for args in (["Song 001", "-k", "0"], ["no such song"]):
        rc, out, err = run_cli(capsys, "similar", *args, "--data-dir", str(ctx.data_dir))
        assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1


def test_m3u_export_from_the_cli(capsys, ctx, lib, tmp_path):
    dest = tmp_path / "near.m3u8"
    rc, out, err = run_cli(capsys, "similar", "Artist 0 - Song 000", "-k", "4", "--space", "audio",
                           "--m3u", str(dest), "--json", "--data-dir", str(ctx.data_dir))
    assert rc == 0
    data = json.loads(out)
    assert data["m3u"] == {"path": str(dest), "uri": dest.as_uri(), "tracks": 5, "left_out": 0}
    paths = [ln for ln in dest.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    assert paths == [data["query"]["path"]] + [r["path"] for r in data["audio"]]


def test_a_changed_embedding_changes_the_answer(ctx, lib):
    """The index is rebuilt when vectors change (here: track 9 re-embedded as a copy of
    track 0), within one process (the SearchSpaces a window keeps) and on disk."""
    spaces = SearchSpaces(ctx)
    before = similar_tracks(ctx, lib.ids[0], k=3, space="audio", spaces=spaces).audio
    assert before[0]["track_id"] != lib.ids[9]
    kept = spaces.get("audio")
    assert spaces.get("audio") is kept, "an unchanged library reuses its loaded space"
    lib.embed(lib.vectors[:1], ids=[lib.ids[9]])
    after = similar_tracks(ctx, lib.ids[0], k=3, space="audio", spaces=spaces).audio
    assert after[0]["track_id"] == lib.ids[9] and after[0]["score"] == pytest.approx(1.0, abs=1e-5)
    assert spaces.get("audio") is not kept
    fresh = similar_tracks(ctx, lib.ids[0], k=3, space="audio").audio  # from the files on disk
    assert [r["track_id"] for r in fresh] == [r["track_id"] for r in after]


def test_a_click_from_a_new_worker_thread_reuses_the_loaded_space(ctx, lib, monkeypatch):
    """The window asks from worker threads whose DB connections close with the thread: the
    loaded space must still be reused (no re-read of every vector per click), and a change
    committed through another connection must still be noticed."""
    import threading

    from musicsage.library.db import close_thread_connections

    spaces = SearchSpaces(ctx)
    kept = spaces.get("audio")
    reads = []
    real = SearchSpaces._audio_vectors
    monkeypatch.setattr(SearchSpaces, "_audio_vectors",
                        lambda self: reads.append(1) or real(self))

    def click(out: list) -> None:
        out.append(spaces.get("audio"))
        close_thread_connections()  # as a worker thread does before it ends

    for _ in range(3):
        got: list = []
        worker = threading.Thread(target=click, args=(got,))
        worker.start()
        worker.join()
        assert got[0] is kept
    assert reads == []

    lib.embed(lib.vectors[:1], ids=[lib.ids[9]])  # committed through another connection
    changed = spaces.get("audio")
    assert reads == [1] and changed is not kept
    assert similar_tracks(ctx, lib.ids[0], k=1, space="audio",
                          spaces=spaces).audio[0]["track_id"] == lib.ids[9]


def test_search_spaces_belong_to_one_library_and_do_not_travel(ctx, lib, tmp_path):
    """A SearchSpaces is per library (no state shared through the module), and a copy sent to
    a child process carries the library, not the loaded vectors."""
    import pickle

    from musicsage.context import AppContext

    spaces = SearchSpaces(ctx)
    assert not isinstance(spaces.get("audio"), str)
    other = SearchSpaces(AppContext.create(tmp_path / "other"))
    assert other.get("audio") == ("no audio embeddings yet (Compute embeddings in the window, "
                                  "or musicsage embed)")
    copy = pickle.loads(pickle.dumps(spaces))
    assert copy.ctx == ctx and copy._memo == {}


def test_an_imported_dataset_dir_is_searchable(ctx, tmp_path):
    """End to end through the library's own dataset import (tracks without files)."""
    d = tmp_path / "ds"
    d.mkdir()
    rows = ["track_id,title,artist,album"] + [f"t{i},Tune {i},Band {i % 3},A{i % 4}" for i in range(30)]
    (d / "tracks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    np.save(d / "features.npy", clustered_vectors(30, clusters=3))
    (d / "memberships.csv").write_text("playlist_id,track_id\np1,t0\np1,t3\n", encoding="utf-8")
    import_dataset(ctx, d)
    data = similar_tracks(ctx, "Band 0 - Tune 0", k=5, space="audio")
    assert len(data.audio) == 5
    assert all(r["title"] in {f"Tune {i}" for i in range(0, 30, 3)} for r in data.audio)
    # no files behind these tracks: nothing a player could open goes into a playlist, and a
    # playlist of its header alone is not written either (tests/search/test_m3u_no_files.py)
    with pytest.raises(MusicsageError, match="no track of the list has an audio file"):
        write_m3u(tmp_path / "x.m3u8", data)
    assert not (tmp_path / "x.m3u8").exists()


def test_audio_vectors_are_compared_z_scored(ctx, library):
    """A column on a huge scale (say, duration in ms) must not decide the audio neighbours:
    the audio space is z-scored per dimension, like the evaluated audio-only baseline."""
    library.add(40)
    v = clustered_vectors(40, dim=6, clusters=4)
    v[:, 0] = np.random.default_rng(5).uniform(1e5, 4e5, 40)  # noise, but enormous
    library.embed(v)
    rows = similar_tracks(ctx, library.ids[0], k=5, space="audio").audio
    assert all((r["track_id"] - library.ids[0]) % 4 == 0 for r in rows)


def test_warming_reads_each_space_once_and_a_click_meanwhile_waits_for_it(ctx, with_graph,
                                                                           monkeypatch):
    """The window warms the spaces in the background when a library loads: a click that
    comes while the warm-up still reads the vectors must wait for that read, not start a
    second one (at 100,000 tracks each read takes tens of seconds), and after the warm-up a
    click reads nothing."""
    import threading
    import time

    from musicsage.usecases.spaces import warm_search_spaces

    spaces = SearchSpaces(ctx)
    reads: list[str] = []
    real = SearchSpaces._vectors

    def slow_read(self, space):
        reads.append(space)
        time.sleep(0.3)  # a large library's read, shortened
        return real(self, space)

    monkeypatch.setattr(SearchSpaces, "_vectors", slow_read)
    warming = threading.Thread(target=warm_search_spaces, args=(spaces,))
    warming.start()
    time.sleep(0.1)  # the warm-up is reading the graph space now
    got: list = []
    click = threading.Thread(target=lambda: got.append(spaces.get("graph")))
    click.start()
    warming.join()
    click.join()
    assert sorted(reads) == ["audio", "graph"], "each space read once, not once per caller"
    assert got[0] is spaces.get("graph")
    before = list(reads)
    spaces.get("audio")
    spaces.get("graph")
    assert reads == before, "after the warm-up a click reads no vectors"


def test_m3u_never_replaces_a_playlist_the_library_imported(capsys, ctx, lib, tmp_path):
    """``similar 2 --m3u mix.m3u`` replaced the user's imported playlist with a list of
    neighbours, without a backup; adding to it is ``suggest --add``'s work."""
    from search_helpers import add_playlist

    from musicsage.library import paths as P

    mix = tmp_path / "lists" / "mix.m3u"
    mix.parent.mkdir()
    mix.write_text("#EXTM3U\n/music/a.ogg\n", encoding="utf-8")
    add_playlist(lib.conn, P.from_fs(str(mix)), "mix", lib.ids[:2])
    lib.conn.commit()
    for command in (["similar", "Artist 0 - Song 000", "--space", "audio"],
                    ["radio", "Artist 0 - Song 000"]):
        rc, out, err = run_cli(capsys, *command, "--m3u", str(mix),
                               "--data-dir", str(ctx.data_dir))
        assert rc == 1 and err.strip().endswith("after a backup)"), err
        assert f"{mix} is the library's playlist 'mix': not overwritten" in err
    assert mix.read_text(encoding="utf-8") == "#EXTM3U\n/music/a.ogg\n"
    other = tmp_path / "lists" / "near.m3u8"
    rc, _, err = run_cli(capsys, "similar", "Artist 0 - Song 000", "--space", "audio",
                         "--m3u", str(other), "--data-dir", str(ctx.data_dir))
    assert rc == 0 and other.read_text(encoding="utf-8").startswith("#EXTM3U"), err


@pytest.mark.parametrize("command", [["similar", "Artist 0 - Song 000", "--space", "audio"],
                                     ["radio", "Artist 0 - Song 000"],
                                     ["suggest", "mix", "--space", "audio"]])
def test_m3u_replaces_only_a_playlist_musicsage_wrote(command, capsys, ctx, lib, tmp_path):
    """``similar … --m3u mine.m3u8`` replaced a file of the user's holding any text, with no
    backup: its name was a playlist's. It is refused in one line; a list the
    app wrote before is replaced, as a user refreshing it expects."""
    from search_helpers import add_playlist

    add_playlist(lib.conn, "/lists/mix.m3u", "mix", lib.ids[:4])
    lib.conn.commit()
    mine = tmp_path / "mine.m3u8"
    mine.write_text("my notes\nline two\n", encoding="utf-8")
    rc, out, err = run_cli(capsys, *command, "--m3u", str(mine), "--data-dir", str(ctx.data_dir))
    assert (rc, out) == (1, "") and err.splitlines() == [
        f"musicsage {command[0]}: {mine} exists and is not a playlist musicsage wrote: choose "
        "another name (nothing was written)"]
    assert mine.read_text(encoding="utf-8") == "my notes\nline two\n"
    own = tmp_path / "own.m3u8"
    for _ in range(2):
        rc, _, err = run_cli(capsys, *command, "--m3u", str(own), "--data-dir",
                             str(ctx.data_dir))
        assert rc == 0 and err.startswith("wrote "), err


@pytest.mark.parametrize("alias", ["symlink target", "hard link"])
def test_m3u_never_replaces_an_imported_playlist_under_another_name(capsys, ctx, lib, tmp_path,
                                                                    alias):
    """The library imported ``lists/mix.m3u``, a link to ``real/mix.m3u``: ``similar
    --m3u real/mix.m3u`` compared names only and replaced that playlist's content with no
    backup. The file itself is compared now (device and inode)."""
    from search_helpers import add_playlist

    from musicsage.library import paths as P

    real = tmp_path / "real" / "mix.m3u"
    real.parent.mkdir()
    real.write_text("#EXTM3U\n/music/a.ogg\n", encoding="utf-8")
    (tmp_path / "lists").mkdir()
    imported = tmp_path / "lists" / "mix.m3u"
    other_name = real
    if alias == "symlink target":
        imported.symlink_to(real)
    else:
        os.link(real, imported)
        other_name = tmp_path / "real" / "hard.m3u"
        os.link(real, other_name)
    add_playlist(lib.conn, P.from_fs(str(imported)), "mix", lib.ids[:2])
    lib.conn.commit()
    rc, out, err = run_cli(capsys, "similar", "Artist 0 - Song 000", "--space", "audio",
                           "--m3u", str(other_name), "--data-dir", str(ctx.data_dir))
    assert rc == 1 and f"{other_name} is the library's playlist 'mix': not overwritten" in err
    assert real.read_text(encoding="utf-8") == "#EXTM3U\n/music/a.ogg\n"


def test_m3u_writes_through_a_symbolic_link_and_keeps_it(capsys, ctx, lib, tmp_path):
    """``--m3u link.m3u`` renamed the new list over the user's link: the link was gone and its
    target kept the old list. It is written through now; a ``.m3u`` link to an audio file is
    refused as audio, and a loop of links is refused, each link left as it was."""
    real = tmp_path / "real.m3u"
    real.write_text("#EXTM3U\n", encoding="utf-8")
    link = tmp_path / "link.m3u"
    link.symlink_to(real)
    query = ["similar", "Artist 0 - Song 000", "--space", "audio", "--data-dir",
             str(ctx.data_dir), "--m3u"]
    rc, _, err = run_cli(capsys, *query, str(link))
    assert rc == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").count("\n") > 2
    song = tmp_path / "song.ogg"
    song.write_bytes(b"OggS audio")
    (tmp_path / "song.m3u").symlink_to(song)
    rc, _, err = run_cli(capsys, *query, str(tmp_path / "song.m3u"))
    assert rc == 1 and "exists and is not a playlist musicsage wrote" in err, err
    assert song.read_bytes() == b"OggS audio" and (tmp_path / "song.m3u").is_symlink()
    loop = tmp_path / "loop.m3u"
    loop.symlink_to(loop)
    rc, _, err = run_cli(capsys, *query, str(loop))
    assert rc == 1 and "a loop of symbolic links" in err, err
    assert loop.is_symlink()
