"""``--m3u`` (and the window's Save as playlist…) with tracks that have no audio file (imported
from a dataset dir): the tracks left out are said, and a list none of whose tracks has a file
is refused, nothing written. It said "wrote 0 tracks", exit 0, and left a playlist of its
header alone; in a mixed library the count dropped the file-less tracks without a word."""

from __future__ import annotations

import json

import pytest
from search_helpers import add_playlist, add_track, clustered_vectors, run_cli

from musicsage.errors import MusicsageError
from musicsage.search.m3u import NO_AUDIO_FILE, Written
from musicsage.usecases.search import write_m3u

REFUSAL = ("no track of the list has an audio file (imported from a dataset dir): nothing was "
           "written")


def _row(path: str, title: str = "T") -> dict:
    return {"path": path, "title": title, "artist": "A", "duration": 60}


def test_tracks_without_a_file_are_counted_as_left_out(tmp_path):
    dest = tmp_path / "n.m3u8"
    rows = [_row("/m/a.flac"), _row("dataset:/d#t1"), _row("/m/b.flac"), _row("")]
    written = write_m3u(dest, rows, name="Mix")
    assert written == Written(2, left_out=2)
    assert written.line("n.m3u8") == "wrote 2 tracks to n.m3u8 (2 without an audio file left out)"
    assert Written(1).line("n.m3u8", "saved") == "saved 1 track to n.m3u8"
    paths = [ln for ln in dest.read_text(encoding="utf-8").splitlines() if ln.startswith("/")]
    assert paths == ["/m/a.flac", "/m/b.flac"]


def test_a_missing_file_keeps_its_entry(tmp_path):
    """Its path is the file's: it plays again once the drive is back (not "left out")."""
    dest = tmp_path / "n.m3u8"
    row = {**_row("/gone/a.flac"), "status": "missing"}
    assert write_m3u(dest, [row]) == Written(1)


def test_a_list_without_any_audio_file_is_refused_and_nothing_written(tmp_path):
    assert NO_AUDIO_FILE == REFUSAL
    dest = tmp_path / "n.m3u8"
    with pytest.raises(MusicsageError) as raised:
        write_m3u(dest, [_row("dataset:/d#t1"), _row("dataset:/d#t2")])
    assert str(raised.value) == REFUSAL
    assert not dest.exists() and list(tmp_path.iterdir()) == []
    own = tmp_path / "own.m3u8"
    write_m3u(own, [_row("/m/a.flac")], name="Mine")
    before = own.read_bytes()
    with pytest.raises(MusicsageError, match="no track of the list has an audio file"):
        write_m3u(own, [_row("dataset:/d#t1")], overwrite=True)
    assert own.read_bytes() == before, "an earlier playlist is left as it was"


@pytest.fixture
def mixed(library):
    """16 tracks with audio vectors in two clusters (even, odd ids); in the even one, every
    other track was imported from a dataset dir (no file): ids 0, 4, 8, 12 of the 16."""
    for i in range(16):
        path = (f"dataset:/data/set#t{i}" if i % 4 == 0
                else str(library.root / f"song{i:02d}.wav"))
        library.ids.append(add_track(library.conn, path, title=f"Song {i:02d}", artist=f"A{i}"))
    library.embed(clustered_vectors(16, clusters=2))
    return library


def test_similar_m3u_says_what_was_left_out(mixed, capsys, tmp_path):
    dest = tmp_path / "n.m3u8"
    query = str(mixed.ids[0])
    rc, out, _err = run_cli(capsys, mixed.ctx, "similar", query, "-k", "3", "--space", "audio",
                            "--m3u", str(dest), "--json")
    assert rc == 0
    data = json.loads(out)
    rows = [data["query"], *data["audio"]]
    no_file = sum(r["path"].startswith("dataset:") for r in rows)
    assert 0 < no_file < len(rows), "the query has no file; some neighbours have one"
    assert data["m3u"] == {"path": str(dest), "uri": dest.as_uri(), "tracks": len(rows) - no_file,
                           "left_out": no_file}
    rc, _out, err = run_cli(capsys, mixed.ctx, "similar", query, "-k", "3", "--space", "audio",
                            "--m3u", str(dest))
    assert rc == 0
    assert err.strip().splitlines()[-1] == (f"wrote {len(rows) - no_file} tracks to {dest} "
                                            f"({no_file} without an audio file left out)")


@pytest.mark.parametrize("command", [["similar", "1", "-k", "3", "--space", "audio"],
                                     ["radio", "1", "--length", "3"],
                                     ["suggest", "Set", "-k", "3", "--space", "audio"]])
def test_a_list_of_tracks_without_files_is_refused_in_one_line(library, capsys, tmp_path,
                                                                 command):
    for i in range(8):
        library.ids.append(add_track(library.conn, f"dataset:/data/set#t{i}", title=f"S{i}",
                                     artist="A"))
    library.embed(clustered_vectors(8, clusters=1))
    add_playlist(library.conn, "dataset:/data/set#p1", "Set", library.ids[:2])
    dest = tmp_path / "n.m3u8"
    rc, _out, err = run_cli(capsys, library.ctx, *command, "--m3u", str(dest))
    assert rc == 1
    assert err.strip() == f"musicsage {command[0]}: {REFUSAL}"
    assert not dest.exists()
