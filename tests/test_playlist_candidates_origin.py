"""A PLAYLIST name that fits several playlists lists them (``playlists NAME``, ``suggest
NAME``) with where each comes from. A player's playlist was listed under the library's
internal key, ``rhythmbox:/…/playlists.xml#Road%20trip`` — nothing the user has seen or could
type — and a dataset's under ``dataset:/…#p``; they read now as ``playlists`` lists them:
``player library …/playlists.xml``, ``dataset dir …``.

``--json`` is for programs: its ``path`` is the value that goes back in as PLAYLIST (that
key, for a player's or a dataset's playlist: its library file or dir names no one playlist),
beside ``source`` and ``source_path``, as ``playlists --json`` has all three. Where no candidate listed has a file, the advice asks for an id, not a file path
none of them shows."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest

from musicsage.cli import main
from music_support import make_music


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """Three playlists named "Road trip": a file, a Rhythmbox playlist, an imported one; two
    named "Road back": a Rhythmbox playlist and an imported one."""
    root = tmp_path_factory.mktemp("candidates")
    music, lists, paths = make_music(root, n_tracks=6, seconds=0.3)
    (lists / "Road trip.m3u8").write_text(
        "#EXTM3U\n" + "".join(f"../music/{p.parent.name}/{p.name}\n" for p in paths[:2]))
    locations = "".join(f"<location>{escape('file://' + quote(str(t)))}</location>"
                        for t in paths[2:4])
    player = root / "playlists.xml"
    player.write_text('<?xml version="1.0"?>\n<rhythmdb-playlists><playlist name="Road trip" '
                      f'type="static">{locations}</playlist><playlist name="Road back" '
                      f'type="static">{locations}</playlist></rhythmdb-playlists>\n')
    ds = root / "ds"
    ds.mkdir()
    (ds / "tracks.csv").write_text("track_id,title,artist\nt1,Alpha,Ds\n")
    (ds / "memberships.csv").write_text("playlist_id,track_id\np,t1\nq,t1\n")
    (ds / "playlists.csv").write_text("playlist_id,name\np,Road trip\nq,Road back\n")
    data = root / "data"
    assert main(["scan", str(music), "--playlists", str(lists), str(player),
                 "--data-dir", str(data), "--json"]) == 0
    assert main(["import", str(ds), "--data-dir", str(data), "--json"]) == 0
    return data


@pytest.mark.parametrize("command", ["playlists", "suggest"])
def test_each_candidate_says_where_it_comes_from_as_playlists_does(library, capsys, command):
    capsys.readouterr()
    assert main([command, "Road trip", "--data-dir", str(library)]) == 1
    out, err = capsys.readouterr()

    root = library.parent
    assert "matches 3 playlists" in err
    lines = out.splitlines()
    assert len(lines) == 3 and all("  Road trip  (" in line for line in lines)
    assert any(line.endswith(f"({root}/playlists/Road trip.m3u8)") for line in lines)
    assert any(line.endswith(f"(player library {root}/playlists.xml)") for line in lines)
    assert any(line.endswith(f"(dataset dir {root}/ds)") for line in lines)
    assert "rhythmbox:" not in out and "dataset:" not in out and "%20" not in out


def _listed(library: Path, capsys) -> dict[int, dict]:
    capsys.readouterr()
    assert main(["playlists", "--json", "--data-dir", str(library)]) == 0
    return {p["id"]: p for p in json.loads(capsys.readouterr().out)["playlists"]}


def _named_by(library: Path, capsys, path: str) -> int:
    """The id of the playlist ``path`` names given back as PLAYLIST."""
    capsys.readouterr()
    assert main(["playlists", path, "--json", "--data-dir", str(library)]) == 0, (
        capsys.readouterr().err)
    return json.loads(capsys.readouterr().out)["playlist"]["id"]


def test_json_candidates_path_goes_back_in_beside_their_source(library, capsys):
    capsys.readouterr()
    assert main(["playlists", "Road trip", "--json", "--data-dir", str(library)]) == 1
    found = json.loads(capsys.readouterr().out)

    root = library.parent
    shown = {c["source"]: (c["source_path"], c["uri"]) for c in found["candidates"]}
    assert found["total"] == 3 and set(shown) == {"file", "player", "dataset"}
    assert shown["file"] == (f"{root}/playlists/Road trip.m3u8",
                             f"file://{quote(str(root))}/playlists/Road%20trip.m3u8")
    assert shown["player"] == (f"{root}/playlists.xml", None)
    assert shown["dataset"] == (f"{root}/ds", None)
    listed = _listed(library, capsys)
    for c in found["candidates"]:
        p = listed[c["playlist_id"]]
        assert (c["source"], c["source_path"], c["path"]) == (p["source"], p["source_path"],
                                                              p["path"])
        assert _named_by(library, capsys, c["path"]) == c["playlist_id"]


def test_suggest_json_playlist_path_goes_back_in_as_a_candidates_does(library, capsys):
    """``suggest --json``'s ``playlist`` (built by ``playlist_summary``)."""
    from musicsage.context import AppContext
    from musicsage.library.db import connect
    from musicsage.library.relations import playlist_member_ids
    from musicsage.search.suggest import playlist_summary

    listed = _listed(library, capsys)
    conn = connect(AppContext.create(library))
    for pid, p in listed.items():
        found = playlist_summary(conn, pid, playlist_member_ids(conn, pid))
        assert (found["source"], found["source_path"], found["path"], found["uri"]) == (
            p["source"], p["source_path"], p["path"], p["uri"])
        assert _named_by(library, capsys, found["path"]) == pid


@pytest.mark.parametrize("command", ["playlists", "suggest"])
def test_without_a_file_listed_the_advice_is_the_id(library, capsys, command):
    capsys.readouterr()
    assert main([command, "Road back", "--data-dir", str(library)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert err.strip().endswith("'Road back' matches 2 playlists; give its id")
    assert main([command, "Road trip", "--data-dir", str(library)]) == 1
    assert capsys.readouterr().err.strip().endswith("give its id or file path")


def test_a_write_without_a_file_listed_asks_for_the_id_or_exact_name(library, capsys):
    capsys.readouterr()
    assert main(["suggest", "back", "--add", "1", "--data-dir", str(library)]) == 1
    assert capsys.readouterr().err.strip().endswith(
        "'back' is not the exact name of a playlist; give its id or exact name; nothing was "
        "written")
