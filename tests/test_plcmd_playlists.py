"""``musicsage playlists``: the command line had no way to list the playlists or learn their
ids (``musicsage playlists`` was "invalid choice"; the only way to see an id was to provoke
``suggest``'s ambiguity error), though the window lists them. The list is the window's: its
order, its track counts (the same snapshot functions), its names with control characters
written visibly; each row adds the id and where the playlist comes from, which tells
same-named playlists apart. ``playlists PLAYLIST`` lists one's tracks in order."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest

from musicsage.cli import main
from music_support import make_music

JSON_KEYS = {"id", "name", "tracks", "entries", "unresolved", "format", "source", "path",
             "source_path", "uri", "player"}


def _rhythmbox(target: Path, name: str, tracks: list[Path]) -> Path:
    """A Rhythmbox ``playlists.xml`` holding one static playlist of ``tracks``."""
    locations = "".join(f"<location>{escape('file://' + quote(str(t)))}</location>"
                        for t in tracks)
    target.write_text('<?xml version="1.0"?>\n<rhythmdb-playlists>'
                      f'<playlist name="{name}" type="static">{locations}</playlist>'
                      "</rhythmdb-playlists>\n", encoding="utf-8")
    return target


def _dataset(d: Path) -> Path:
    """A dataset dir of two tracks without files and one playlist, "Imported"."""
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\nt1,Alpha,Ds\nt2,Beta,Ds\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\np,t2\np,gone\n")
    (d / "playlists.csv").write_text("playlist_id,name\np,Imported\n")
    return d


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """Scanned music with playlist files ("Mix 1" … "Mix 6", a second "Mix 2" in a sub
    folder, one named with an escape sequence), a player's playlist and an imported one."""
    root = tmp_path_factory.mktemp("plcmd")
    music, lists, paths = make_music(root, n_tracks=8, seconds=0.4)
    (lists / "sub").mkdir()
    (lists / "sub" / "Mix 2.m3u8").write_text(
        "#EXTM3U\n" + "".join(f"../../music/{p.parent.name}/{p.name}\n" for p in paths[:2]))
    (lists / "red.m3u8").write_text(f"#EXTM3U\n#PLAYLIST:Red\x1b[31m\n{paths[0]}\n")
    player = _rhythmbox(root / "playlists.xml", "Road trip", paths[3:6])
    data = root / "data"
    assert main(["scan", str(music), "--playlists", str(lists), str(player),
                 "--data-dir", str(data), "--json"]) == 0
    assert main(["import", str(_dataset(root / "ds")), "--data-dir", str(data), "--json"]) == 0
    return data


def _window_rows(data: Path) -> list[tuple[int, str, int]]:
    """The rows the window's playlist list shows, built as the window builds them
    (gui/window_wiring.py ``_show_snapshot``, then PlaylistList's sort)."""
    from musicsage.context import AppContext
    from musicsage.controllers.playlist_order import sorted_playlists
    from musicsage.usecases.snapshot import load_snapshot

    snap = load_snapshot(AppContext.create(data))
    sizes = snap.playlist_sizes()
    return sorted_playlists([(p.id, snap.shown_name(p), sizes.get(p.id, 0))
                             for p in snap.playlists])


def _run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["playlists", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_every_playlist_as_the_window_does_with_its_id_and_origin(library, capsys):
    code, out, err = _run(capsys, "--data-dir", str(library))

    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["id", "tracks", "name", "from"]
    body, footer = lines[1:-1], lines[-1]
    window = _window_rows(library)
    assert len(body) == len(window) == 10 and footer.startswith("10 playlists; ")
    for line, (pid, name, count) in zip(body, window):  # the window's order and counts
        assert line.split()[:2] == [str(pid), str(count)]
        assert f"  {name}" in line
    # same-named playlists told apart by their ids and files
    mix2 = [line for line in body if line.split()[2:4] == ["Mix", "2"]]
    assert len(mix2) == 2 and len({line.split()[0] for line in mix2}) == 2
    assert any(line.endswith("/playlists/Mix 2.m3u8") for line in mix2)
    assert any(line.endswith("/playlists/sub/Mix 2.m3u8") for line in mix2)
    red = next(line for line in body if "Red" in line)
    assert "\x1b" not in out and "Red\\x1b[31m" in red
    road = next(line for line in body if "Road trip" in line)
    assert road.split()[1] == "3" and road.endswith(f"player library {library.parent}"
                                                    "/playlists.xml")
    imported = next(line for line in body if "Imported" in line)
    assert imported.split()[1] == "2" and imported.endswith(f"dataset dir {library.parent}/ds")


def test_json_keeps_the_window_order_and_says_where_each_comes_from(library, capsys):
    code, out, _err = _run(capsys, "--json", "--data-dir", str(library))

    assert code == 0
    rows = json.loads(out)["playlists"]
    assert all(set(r) == JSON_KEYS for r in rows)
    assert [(r["id"], r["tracks"]) for r in rows] == [(pid, n) for pid, _, n in
                                                      _window_rows(library)]
    by_name = {r["name"]: r for r in rows}
    assert by_name["Red\x1b[31m"]["source"] == "file"  # JSON keeps the name as it is
    road = by_name["Road trip"]
    assert (road["source"], road["source_path"]) == ("player",
                                                     str(library.parent / "playlists.xml"))
    assert road["player"].startswith("Rhythmbox")
    imported = by_name["Imported"]
    assert (imported["source"], imported["source_path"]) == ("dataset",
                                                             str(library.parent / "ds"))
    assert (imported["entries"], imported["tracks"], imported["unresolved"]) == (3, 2, 1)


def test_one_playlist_lists_its_tracks_in_order(library, capsys):
    from musicsage.context import AppContext
    from musicsage.usecases.library import playlist_track_ids
    from musicsage.usecases.suggest import resolve_playlist

    ctx = AppContext.create(library)
    pid = resolve_playlist(ctx, "Mix 1")
    code, out, _err = _run(capsys, "mix 1", "--data-dir", str(library))

    assert code == 0
    head, *rows = out.splitlines()
    ids = playlist_track_ids(ctx, pid)
    assert head.startswith(f"Mix 1 (#{pid}, {len(ids)} tracks) from ")
    assert [int(r.split()[0]) for r in rows] == ids
    assert all(" Band - " in r and r.endswith(".flac)") for r in rows)

    code, out, _err = _run(capsys, str(pid), "--json", "--data-dir", str(library))
    found = json.loads(out)
    assert found["playlist"]["id"] == pid and set(found["playlist"]) == JSON_KEYS
    assert [t["track_id"] for t in found["tracks"]] == ids
    assert [t["position"] for t in found["tracks"]] == list(range(1, len(ids) + 1))


def test_a_name_of_two_playlists_is_refused_naming_both(library, capsys):
    code, out, err = _run(capsys, "Mix 2", "--data-dir", str(library))

    assert code == 1 and err.startswith("musicsage playlists: 'Mix 2' matches 2 playlists")
    ids = [pid for pid, name, _count in _window_rows(library) if name == "Mix 2"]
    assert len(ids) == 2 and all(f"#{pid}" in out + err or f"{pid:>7}  Mix 2" in out
                                 for pid in ids)


def test_no_playlists_says_so_in_one_line(tmp_path, capsys):
    (tmp_path / "music").mkdir()
    data = str(tmp_path / "data")
    assert main(["scan", str(tmp_path / "music"), "--data-dir", data, "--json"]) == 0

    code, out, err = _run(capsys, "--data-dir", data)
    assert code == 0 and err == ""
    assert out.splitlines() == [out.strip()] and out.startswith("no playlists in the library: ")
    code, out, _err = _run(capsys, "--json", "--data-dir", data)
    assert code == 0 and json.loads(out) == {"playlists": []}


def test_every_json_path_names_its_playlist_again(library, capsys):
    """A player's or an imported playlist's ``path`` was its library file or dataset dir,
    which named every playlist of it and went back in as none."""
    _code, out, _err = _run(capsys, "--json", "--data-dir", str(library))
    for row in json.loads(out)["playlists"]:
        code, one, err = _run(capsys, row["path"], "--json", "--data-dir", str(library))
        assert code == 0, (row, err)
        assert json.loads(one)["playlist"]["id"] == row["id"]
