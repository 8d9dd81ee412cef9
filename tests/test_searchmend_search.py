"""What `similar`, `suggest` and `embed` say of what they left out, and where they say it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent / "search"))
from search_helpers import Library, add_track, clustered_vectors, run_cli  # noqa: E402

NOTHING = {"playlists": [], "same_album": False, "same_artist": False, "same_genre": False,
           "ranks": {"graph": None, "audio": None}, "tags": None}


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    return Library(ctx, tmp_path / "music")


def same_file(conn, *ids: int) -> None:
    conn.executemany("INSERT INTO track_hashes VALUES (?, 1, 1, 'x')", [(t,) for t in ids])


def on_disk(conn, *ids: int) -> None:
    """The same bytes in the files of ``ids``: a write compares them (an unplugged drive's
    files, not compared, are not taken for one file)."""
    for t in ids:
        path = Path(conn.execute("SELECT path FROM tracks WHERE id = ?", (t,)).fetchone()[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"one file")


def test_a_list_emptied_by_missing_files_alone_says_so(capsys, ctx, library):
    """Every other track's file missing: it said "no other track has a vector to compare"."""
    library.add(3)
    library.embed(clustered_vectors(3))
    library.set_missing(library.ids[1])
    library.set_missing(library.ids[2])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio")
    assert (rc, out) == (1, "")
    assert err == ("musicsage similar: no similar tracks: audio: nothing to list: the 2 other "
                   "tracks with an audio vector are missing files\n")


def test_the_empty_list_note_names_copies_in_id_order_and_counts_each_track_once(ctx, library):
    from musicsage.search.index import SpaceIndex
    from musicsage.search.similar import empty_list_note, only_missing_files

    library.add(4)
    q, c1, c2, m = library.ids
    space = SpaceIndex("audio", library.ids, clustered_vectors(4), model_id="x",
                       directory=ctx.data_dir / "s")
    # c1, a copy of the query, is missing too: one track, not a copy and a missing file
    note = empty_list_note(library.conn, space, [q], [c2, c1], np.array([q, c2]))
    assert note == ("nothing to list: the 3 other tracks with an audio vector are copies of "
                    f"the query track (#{c1}, #{c2}), which are never listed, or a missing file")
    assert not only_missing_files(note)
    assert only_missing_files(empty_list_note(library.conn, space, [q], [], np.array([q])))


def test_missing_files_and_copies_left_out_are_notes_not_list_lines(capsys, ctx, library):
    """docs/cli.md: notes never go into a redirected list — these two did."""
    library.add(8)
    library.embed(clustered_vectors(8))
    q = library.ids[0]
    same_file(library.conn, q, library.ids[1])
    library.set_missing(library.ids[2])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "similar", str(q), "--space", "audio")
    assert rc == 0 and "left out" not in out and "\nnote:" not in out
    assert err.splitlines()[-2:] == ["audio: 1 missing file left out",
                                     f"note: copies of the query left out: #{library.ids[1]}"]


def test_notes_reach_the_terminal_without_control_characters(capsys):
    """A note can carry a file's path or a read error's words (radio's seed whose file
    failed): it went out raw, ESC and all, where radio's note used to go through printable."""
    from musicsage.commands.explore import _print_notes

    _print_notes("the last scan could not read /m/\x1b[31mred.wav", ["audio: a\rb", ""])
    assert capsys.readouterr().err == ("note: the last scan could not read /m/\\x1b[31mred.wav\n"
                                       "audio: a\\x0db\n")


def mix(ctx, library, tmp_path) -> int:
    """A playlist file holding the library's first track, imported as a scan would."""
    from musicsage.usecases.library import scan_library

    path = tmp_path / "mix.m3u"
    path.write_text(f"#EXTM3U\n{library.root / 'artist0' / 'song000.wav'}\n", encoding="utf-8")
    return scan_library(ctx, [], [str(path)]).playlists[0].playlist_id


def test_suggest_add_json_keeps_the_copies_of_one_file_note(capsys, ctx, library, tmp_path):
    """As `similar --json`'s query_note: the JSON dropped which copy was taken."""
    library.add(2)
    a = add_track(library.conn, str(library.root / "v.ogg"), title="Vibe", artist="K")
    b = add_track(library.conn, str(library.root / "w.ogg"), title="Vibe", artist="K")
    same_file(library.conn, a, b)
    on_disk(library.conn, a, b)
    library.conn.commit()
    pid = mix(ctx, library, tmp_path)
    rc, out, _ = run_cli(capsys, ctx, "suggest", str(pid), "--add", "K - Vibe", "--json")
    data = json.loads(out)
    assert rc == 0 and data["added"] == [a]
    assert data["query_notes"] == [f"'K - Vibe' matches 2 copies of one file: took #{a} "
                                   f"(#{b} the same content)"]


def test_an_explicit_add_of_another_version_of_a_member_adds_it(capsys, ctx, library,
                                                                  tmp_path):
    """The single beside the album version the playlist holds: another recording the user
    named, refused as "a copy (the same title and artist)"; the same file is still skipped."""
    from musicsage.usecases.library import playlist_track_ids

    library.add(1)
    album = library.ids[0]
    library.conn.execute("UPDATE tracks SET title = 'Tender Love', artist = 'Ann' WHERE id = ?",
                         (album,))
    single = add_track(library.conn, str(library.root / "single.ogg"),
                       title="Tender Love (Single Version)", artist="Ann")
    copy = add_track(library.conn, str(library.root / "copy.ogg"), title="x", artist="y")
    same_file(library.conn, album, copy)
    on_disk(library.conn, album, copy, single)  # (single: a file, not one deleted since)
    library.conn.commit()
    pid = mix(ctx, library, tmp_path)
    rc, out, err = run_cli(capsys, ctx, "suggest", str(pid), "--add", str(single), str(copy))
    assert rc == 0 and out.startswith("added 1 track")
    assert playlist_track_ids(ctx, pid) == [album, single]
    assert f"skipped #{copy}: a copy of #{album} (the same file content)" in err
    from musicsage.search.suggest import copies_of_members

    assert single in copies_of_members(library.conn, [single], [album])  # suggestions: a copy


def test_nothing_to_embed_blames_missing_files_not_the_dataset(capsys, ctx, library):
    """A dataset's file-less tracks beside scanned tracks whose drive is unplugged: "the
    library's tracks came from a dataset … and have no audio files" sent the user astray."""
    add_track(library.conn, "dataset:/ds#t1", title="a", artist="b")
    add_track(library.conn, "/mnt/usb/one.wav", title="c", artist="d", status="missing")
    add_track(library.conn, "/mnt/usb/two.wav", title="e", artist="f", status="missing")
    library.conn.commit()
    rc, out, _ = run_cli(capsys, ctx, "embed", "--model", "spectral")
    assert (rc, out) == (0, "nothing to embed: 2 tracks' audio files are missing (a drive "
                            "unplugged?)\n")


def test_nothing_to_embed_and_the_graph_models_work_are_one_line(capsys, ctx, library,
                                                                monkeypatch):
    """"nothing to embed: …" then "graph model 3: the saved model placed again …" on a line
    of its own read as if the second undid the first."""
    import musicsage.usecases.embedding as embedding
    from musicsage.usecases.inductive import InductiveReport

    add_track(library.conn, "dataset:/ds#t1", title="a", artist="b")
    library.conn.commit()
    monkeypatch.setattr(embedding, "graph_vectors_for_new_tracks", lambda *a, **k: (
        InductiveReport(3, unseen=5, embedded=5, new_vectors=0, seconds=0.1)))
    rc, out, _ = run_cli(capsys, ctx, "embed", "--model", "spectral")
    assert (rc, out) == (0, "nothing to embed: 1 track imported from the dataset dir /ds has "
                            "neither an audio file nor a vector (imported without a "
                            "features.npy): put the vectors in /ds/features.npy and import the "
                            f"folder again (`musicsage --data-dir {ctx.data_dir} import /ds`); "
                            "graph model 3: the saved "
                            "model placed again the 5 tracks not seen in training it placed "
                            "before (0.1 s)\n")


def test_a_score_shown_as_the_cut_off_is_close():
    from musicsage.search.why import _text

    assert _text(NOTHING, 1, "audio", 0.0996) == "close in sound"
    assert _text(NOTHING, 1, "audio", 0.0949).startswith("not close in sound (score 0.09)")


def test_the_graph_lists_cut_off_is_its_own_unrelated_level(ctx, library):
    """Graph vectors where two random tracks score 0.5 on average: a neighbour at 0.3 is
    further than a random track, though above the audio space's cut-off (0.1)."""
    from musicsage.search.index import SpaceIndex
    from musicsage.search.why import CLOSE_SCORE, close_score, unrelated_level
    from musicsage.vectors import unit_rows

    rng = np.random.default_rng(0)
    shared = np.zeros(32, np.float32)
    shared[0] = 1.0  # every vector leans one way: cos ≈ 0.5 between any two
    matrix = unit_rows(rng.normal(size=(40, 32)).astype(np.float32) * 0.1 + shared * 0.1)
    space = SpaceIndex("graph", np.arange(1, 41), matrix, model_id="1",
                       directory=ctx.data_dir / "g")
    units = unit_rows(matrix)
    pairs = units @ units.T
    expected = (pairs.sum() - np.trace(pairs)) / (40 * 39)
    assert unrelated_level(space) == pytest.approx(expected, abs=1e-5)
    assert close_score(space) == pytest.approx(expected + CLOSE_SCORE, abs=1e-5)
    audio = SpaceIndex("audio", np.arange(1, 41), matrix, model_id="a",
                       directory=ctx.data_dir / "a")
    assert close_score(audio) == CLOSE_SCORE


def test_the_graph_list_says_not_close_below_its_unrelated_level(ctx, library):
    """Through `similar`: graph rows scoring no better than a random graph track."""
    from musicsage.search.index import SpaceIndex
    from musicsage.search.similar import similar_lists
    from musicsage.search.why import close_score

    library.add(12)
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(12, 16)).astype(np.float32)
    matrix[:, 0] += 3.0  # a graph space where random tracks score about 0.9
    space = SpaceIndex("graph", library.ids, matrix, model_id="1",
                       directory=ctx.data_dir / "g")
    result = similar_lists(library.conn, library.ids[0], {"graph": space, "audio": "none"},
                           k=11, space="graph")
    cut = close_score(space)
    assert cut > 0.5
    far = [r for r in result.graph if round(r["score"], 2) < cut]
    assert far and all(r["why"]["text"].startswith("not close by the graph model")
                       for r in far)
