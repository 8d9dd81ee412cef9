"""``suggest PLAYLIST --add/--remove`` wrote into a playlist found by a piece of its name
(``suggest Mix --add …`` into ``Remix Classics.m3u8``), and a number that is no playlist id
fell through to names (``suggest 2012`` listed "Best of 2012"). Writing now takes only an id,
a path or the exact name, else lists the candidates and exits 1, touching nothing; reading
keeps partial names, but not for a bare number."""

from __future__ import annotations

import json

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.library.db import connect
from musicsage.search.playlist_query import resolve_playlist
from musicsage.usecases.library import scan_library


@pytest.fixture
def remix(ctx, tmp_path):
    """The library, with one playlist: ``Remix Classics.m3u8`` holding ``A/One.wav``."""
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    path = lists / "Remix Classics.m3u8"
    path.write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(lists)])
    return ctx, path, ids


def _run(ctx, capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main(["suggest", *args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("flag", ["--add", "--remove"])
def test_a_piece_of_a_name_lists_the_playlist_and_writes_nothing(remix, capsys, flag):
    ctx, path, ids = remix
    before = path.read_bytes()
    track = str(ids["A/Two.wav"] if flag == "--add" else ids["A/One.wav"])
    rc, out, err = _run(ctx, capsys, "mix", flag, track)
    assert rc == 1 and path.read_bytes() == before, (rc, out, err)
    assert "Remix Classics" in out and "Remix Classics.m3u8" in out
    line = err.strip()
    assert "\n" not in line and "not the exact name of a playlist" in line, line
    assert "nothing was written" in line
    rc, out, _err = _run(ctx, capsys, "mix", flag, track, "--json")
    assert rc == 1 and [c["name"] for c in json.loads(out)["candidates"]] == ["Remix Classics"]
    assert path.read_bytes() == before


def test_the_exact_name_in_any_case_still_writes(remix, capsys):
    ctx, path, ids = remix
    rc, out, err = _run(ctx, capsys, "remix CLASSICS", "--add", str(ids["A/Two.wav"]))
    assert rc == 0, (out, err)
    assert "Two.wav" in path.read_text(encoding="utf-8")


def test_reading_keeps_partial_names_but_a_bare_number_is_an_id(remix):
    ctx, path, _ids = remix
    conn = connect(ctx)
    pid = resolve_playlist(conn, "mix")  # read-only: says which playlist it used
    assert resolve_playlist(conn, str(path)) == pid
    conn.execute("UPDATE playlists SET name = 'Best of 2012' WHERE id = ?", (pid,))
    with pytest.raises(Exception, match="no playlist #2012"):
        resolve_playlist(conn, "2012")
    assert resolve_playlist(conn, "of 2012") == pid
    conn.execute("UPDATE playlists SET name = '2012' WHERE id = ?", (pid,))
    assert resolve_playlist(conn, "2012") == pid  # a playlist named just that
