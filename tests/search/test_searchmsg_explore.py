"""What the explore commands (similar, suggest, radio) say, from a new user's audit: copies
typed by name, true reasons for an empty list, ambiguous playlists listed as tracks are,
notes on stderr (never in a redirected list), copies refused by ``--add``, a why that follows
its score, and a why column that stays readable in a narrow terminal."""

from __future__ import annotations

import json
import os
import unicodedata

import numpy as np
import pytest
from search_helpers import add_playlist, add_track, clustered_vectors, run_cli

from musicsage.search.report import format_similar
from musicsage.search.types import SimilarResult
from musicsage.search.why import _text


def same_file(conn, *track_ids: int, digest: str = "ab" * 32) -> None:
    """Record ``track_ids`` as one file copied (the content hash a scan stores)."""
    conn.executemany("INSERT INTO track_hashes(track_id, size, mtime_ns, hash) VALUES (?, 1, 1, ?)",
                     [(t, digest) for t in track_ids])


@pytest.fixture
def twins(library):
    """20 tracks with vectors; #21 and #22 both "Kevin MacLeod - Vibe Ace", one file copied."""
    library.add(20)
    root = library.root
    a = add_track(library.conn, str(root / "vibe.ogg"), title="Vibe Ace", artist="Kevin MacLeod")
    b = add_track(library.conn, str(root / "copy" / "vibe copie.ogg"), title="Vibe Ace",
                  artist="Kevin MacLeod")
    library.ids += [a, b]
    library.embed(clustered_vectors(22, clusters=4))
    same_file(library.conn, a, b)
    library.conn.commit()
    library.twins = (a, b)
    return library


def test_a_name_typed_for_two_copies_of_one_file_takes_the_first(capsys, ctx, twins):
    a, b = twins.twins
    rc, out, err = run_cli(capsys, ctx, "similar", "Kevin MacLeod - Vibe Ace", "--space", "audio")
    assert rc == 0, err
    assert out.startswith(f"Similar to #{a}: Kevin MacLeod - Vibe Ace")
    assert f"note: 'Kevin MacLeod - Vibe Ace' matches 2 copies of one file: took #{a}" in err
    rc, out, err = run_cli(capsys, ctx, "similar", "Vibe Ace", "--space", "audio", "--json")
    assert rc == 0 and json.loads(out)["query"]["track_id"] == a


def test_two_different_tracks_of_one_name_are_listed_without_advising_that_name(capsys, ctx,
                                                                                 twins):
    twins.conn.execute("DELETE FROM track_hashes")  # two recordings, not one file
    twins.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "similar", "Kevin MacLeod - Vibe Ace")
    assert rc == 1 and [line.split()[0] for line in out.splitlines()] == [
        str(t) for t in twins.twins]
    assert err.strip().endswith("matches 2 tracks; give a track id or a path")
    rc, out, err = run_cli(capsys, ctx, "similar", "Vibe")  # both are "Kevin MacLeod - Vibe Ace"
    assert rc == 1 and err.strip().endswith("give a track id or a path")


def test_an_empty_list_says_its_true_reason(capsys, ctx, library):
    """The playlist's one member and a copy of it are the only tracks with a vector: no
    graph model, and the audio list is empty because copies of members are never listed."""
    library.add(3)
    member, copy, _bare = library.ids
    library.embed(clustered_vectors(2), [member, copy])
    same_file(library.conn, member, copy)
    add_playlist(library.conn, "/p/mix.m3u", "mix", [member])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix")
    assert (rc, out) == (1, "") and err.count("\n") == 1
    assert "graph: no trained graph model yet" in err
    assert (f"audio: nothing to list: the only other track with an audio vector is a copy of "
            f"the playlist's tracks (#{copy}), which is never listed") in err
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--space", "audio")
    assert rc == 1 and "no other track has a vector" not in err and f"(#{copy})" in err


def test_an_ambiguous_playlist_lists_its_candidates_as_a_track_does(capsys, ctx, library):
    library.add(2)
    for i in range(8):
        add_playlist(library.conn, f"/p/list {i}.m3u", f"list {i}", [library.ids[0]])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", "list")
    assert rc == 1 and err.count("\n") == 1 and len(err) < 120
    assert err.strip().endswith("'list' matches 8 playlists; give its id or file path")
    assert [line.split()[1:3] for line in out.splitlines()] == [
        ["list", str(i)] for i in range(8)]
    rc, out, err = run_cli(capsys, ctx, "suggest", "list", "--json")
    data = json.loads(out)
    assert rc == 1 and data["total"] == 8 and data["candidates"][0]["name"] == "list 0"
    assert {"playlist_id", "name", "path", "source", "source_path",
            "uri"} == data["candidates"][0].keys()


def test_notes_go_to_stderr_and_the_list_alone_to_stdout(capsys, ctx, library):
    library.add(4)
    library.embed(clustered_vectors(4))
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "9")
    assert rc == 0 and "note" not in out and "graph model" not in out
    assert "no trained graph model yet" in err and "the queue has 3 tracks, not 9" in err
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]))
    assert rc == 0 and "graph model" not in out and "graph: no trained graph model" in err
    add_playlist(library.conn, "/p/a.m3u", "a", [library.ids[0]])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", "a")
    assert rc == 0 and "graph model" not in out and "graph: no trained graph model" in err


def test_add_skips_a_copy_of_a_member(capsys, ctx, library, tmp_path):
    from musicsage.usecases.library import playlist_track_ids, scan_library

    library.add(4)
    first, copy, other, _ = library.ids
    same_file(library.conn, first, copy)
    for (song,) in library.conn.execute("SELECT path FROM tracks WHERE id IN (?, ?)",
                                        (first, copy)):  # on disk: a write compares bytes
        os.makedirs(os.path.dirname(song), exist_ok=True)
        with open(song, "wb") as fh:
            fh.write(b"one file")
    library.conn.commit()
    path = tmp_path / "mix.m3u"
    path.write_text(f"#EXTM3U\n{library.root / 'artist0' / 'song000.wav'}\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    assert playlist_track_ids(ctx, pid) == [first]
    before = path.read_bytes()
    rc, out, err = run_cli(capsys, ctx, "suggest", str(pid), "--add", str(copy))
    assert rc == 0 and out.startswith("nothing added") and path.read_bytes() == before
    assert (f"skipped #{copy}: a copy of #{first} (the same file content), already in the "
            "playlist") in err
    rc, out, err = run_cli(capsys, ctx, "suggest", str(pid), "--add", str(copy), str(other))
    assert rc == 0 and out.startswith("added 1 track") and f"skipped #{copy}" in err
    assert playlist_track_ids(ctx, pid) == [first, other]


NOTHING = {"playlists": [], "same_album": False, "same_artist": False, "same_genre": False,
           "ranks": {"graph": None, "audio": None}, "tags": None}


@pytest.mark.parametrize("score", [0.051, -0.008, -0.667])
def test_a_score_near_or_below_zero_is_never_called_close(score):
    """0.051 said "close in sound", −0.008 with a rank beside it said nothing, −0.667 said
    "not close": one rule now, whatever else the row has."""
    alone = _text(NOTHING, 1, "audio", score)
    assert alone == f"not close in sound (score {score:.2f}): listed for want of nearer tracks"
    ranked = _text({**NOTHING, "ranks": {"graph": 3, "audio": None}}, 1, "audio", score)
    assert ranked == f"not close in sound (score {score:.2f}) · #3 by the graph model"
    assert _text(NOTHING, 1, "audio", 0.4) == "close in sound"


def columns(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def row(rank: int, why: str) -> dict:
    return {"track_id": rank, "rank": rank, "title": f"Song {rank}", "artist": "", "score": 0.5,
            "in_both": False, "why": {"text": why}}


def test_the_why_column_keeps_whole_reasons_or_stacks_the_lists():
    whys = ["#3 by the graph model · tags: jazz, electronic, instrumental, ambient",
            "tags: jazz, electronic, instrumental, ambient, chillout, experimental",
            "in mix · same artist · #25 by audio alone · tags: jazz"]
    rows = [row(i + 1, w) for i, w in enumerate(whys)]
    result = SimilarResult(query=row(0, ""), graph=rows, audio=rows)
    lines = format_similar(result, width=80).splitlines()
    cells = [c.strip() for line in lines if line.startswith("     ") for c in line.split(" | ")]
    assert cells[:2] == ["#3 by the graph model …"] * 2
    assert cells[2] == "tags: jazz, electronic …"
    assert cells[4] == "in mix · same artist …"
    for cell in cells:  # never a reason cut mid-word ("#3 b…", "tags:…")
        assert cell.endswith(" …") or cell in whys, cell
    assert all(columns(line) <= 80 for line in lines)
    narrow = format_similar(result, width=60).splitlines()
    assert not any(" | " in line for line in narrow), "too narrow: one list under the other"
    assert all(columns(line) <= 60 for line in narrow) and narrow[-1].startswith("* =")
    assert "     #3 by the graph model · tags: jazz, electronic …" in narrow
