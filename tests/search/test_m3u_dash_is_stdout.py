"""``similar``/``suggest``/``radio --m3u -`` write the playlist on stdout, the usual
convention (``… --m3u - | mpv --playlist=-``): it wrote a file named ``-`` in the current
folder and printed the list on stdout. The list is left out then (stdout holds the playlist
alone), the line saying what was written names stdout on stderr, and ``--json``, which
would share stdout with it, is refused before any work."""

from __future__ import annotations

import pytest
from search_helpers import add_playlist, add_track, clustered_vectors, run_cli

COMMANDS = [["similar", "1", "-k", "3", "--space", "audio"],
            ["radio", "1", "--length", "3"],
            ["suggest", "Set", "-k", "3", "--space", "audio"]]


@pytest.fixture
def embedded(library):
    """8 tracks with audio vectors in one cluster, two of them in the playlist "Set"."""
    for i in range(8):
        path = str(library.root / f"song{i:02d}.wav")
        library.ids.append(add_track(library.conn, path, title=f"Song é{i:02d}", artist="A"))
    library.embed(clustered_vectors(8, clusters=1))
    add_playlist(library.conn, str(library.root / "set.m3u"), "Set", library.ids[:2])
    library.conn.commit()
    return library


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_writes_the_playlist_to_stdout_and_no_file(embedded, capsys, tmp_path,
                                                         monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", "-")
    assert rc == 0, err
    assert not (tmp_path / "-").exists(), "no file named '-'"
    lines = out.splitlines()
    assert lines[0] == "#EXTM3U" and lines[1].startswith("#PLAYLIST:")
    entries = [ln for ln in lines if not ln.startswith("#")]
    assert entries and all(e.startswith(str(embedded.root)) for e in entries)
    assert len([ln for ln in lines if ln.startswith("#EXTINF:")]) == len(entries)
    tracks = f"{len(entries)} track{'s' if len(entries) > 1 else ''}"
    assert f"wrote {tracks} to stdout" in err.splitlines()


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_with_json_is_refused_before_any_work(embedded, capsys, tmp_path, monkeypatch,
                                                   command):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", "-", "--json")
    assert (rc, out) == (1, "")
    assert err.strip() == (f"musicsage {command[0]}: --m3u - writes the playlist to stdout, "
                           "where --json writes its object: give --m3u a file, or leave out "
                           "--json (a file named '-' is ./-); nothing was written")
    assert list((tmp_path / "cwd").iterdir()) == []


def test_a_file_named_dash_is_still_written_as_dot_slash_dash(embedded, capsys, tmp_path,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, embedded.ctx, *COMMANDS[0], "--m3u", "./-")
    assert rc == 0, err
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("#EXTM3U\n")
    assert "#EXTM3U" not in out


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_writes_the_bytes_the_file_would_hold(embedded, capsys, tmp_path, monkeypatch,
                                                   command):
    """One rule for the playlist's name and entries, whether it goes to a file or stdout."""
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", "list.m3u8")
    assert rc == 0, err
    rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", "-")
    assert rc == 0, err
    assert out.encode("utf-8") == (tmp_path / "list.m3u8").read_bytes()


def test_the_use_case_gives_the_bytes_write_m3u_writes(embedded, tmp_path):
    """``similar``'s playlist, named after the query, as bytes from the use case itself: the
    command line only puts them on stdout (it rebuilt the name and the copy folding)."""
    from musicsage.usecases.search import m3u_playlist, similar_tracks, write_m3u

    result = similar_tracks(embedded.ctx, embedded.ids[0], k=3, space="audio")
    data, shown = m3u_playlist(result, ctx=embedded.ctx)
    written = write_m3u(tmp_path / "list.m3u8", result, ctx=embedded.ctx)
    assert data == (tmp_path / "list.m3u8").read_bytes()
    assert data.decode("utf-8").splitlines()[1] == "#PLAYLIST:Similar to A - Song é00"
    assert shown.as_dict() == written.as_dict() == {"tracks": 4, "left_out": 0}


@pytest.mark.parametrize("command", [["similar", "Song", "--space", "audio"],
                                     ["radio", "Song", "--length", "3"],
                                     ["suggest", "Mix", "--space", "audio"]])
def test_an_ambiguous_name_lists_its_candidates_on_stderr_not_in_the_playlist(
        embedded, capsys, command):
    """``--m3u - | mpv --playlist=-``: the player read the candidates as entries."""
    for n in (1, 2):
        add_playlist(embedded.conn, str(embedded.root / f"mix{n}.m3u"), "Mix",
                     embedded.ids[:2])
    embedded.conn.commit()
    rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", "-")
    assert (rc, out) == (1, "")
    assert ("Song é01" if command[0] != "suggest" else "mix2.m3u") in err
    assert err.splitlines()[-1].startswith(f"musicsage {command[0]}: ")
