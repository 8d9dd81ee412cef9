"""`--m3u Lists/` (a folder name, as a shell completes it) that names no folder: the slash
was dropped and a playlist FILE named `Lists` was written (`mix.m3u/` replaced `mix.m3u`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "search"))
from search_helpers import Library, clustered_vectors, run_cli  # noqa: E402


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    lib = Library(ctx, tmp_path / "music")
    lib.add(6)
    lib.embed(clustered_vectors(6))
    lib.conn.commit()
    return lib


@pytest.mark.parametrize("command", [["similar", "--space", "audio"], ["radio"]])
def test_a_playlist_name_ending_in_a_slash_writes_no_file(capsys, ctx, library, tmp_path,
                                                          command):
    dest = tmp_path / "Lists"
    rc, out, err = run_cli(capsys, ctx, command[0], str(library.ids[0]), *command[1:],
                           "--m3u", f"{dest}/")
    assert (rc, out) == (1, "")
    assert err == (f"musicsage {command[0]}: cannot write playlist {dest}/: a name ending in / "
                   "names a folder, and there is none; give the playlist file's name (nothing "
                   "was written)\n")
    assert not dest.exists()


def test_a_playlist_of_ours_named_with_a_slash_is_left_as_it_was(capsys, ctx, library,
                                                                  tmp_path):
    mix = tmp_path / "mix.m3u"
    assert run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "2",
                   "--m3u", str(mix))[0] == 0
    before = mix.read_bytes()
    rc, _out, err = run_cli(capsys, ctx, "radio", str(library.ids[1]), "--m3u", f"{mix}/")
    assert rc == 1 and "names a folder" in err
    assert mix.read_bytes() == before


def test_an_existing_folder_given_with_its_slash_is_still_called_a_folder(capsys, ctx,
                                                                          library, tmp_path):
    rc, _out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]),
                            "--m3u", f"{tmp_path}/")
    assert rc == 1 and "it is a folder" in err
