"""A playlist file made read-only (`chmod a-w`: its owner's "do not change") is refused by
`suggest --add` and `--remove` (and the window's Add and Remove) untouched — but the line said
only "playlist 'Mix' is read-only (…); the file was not touched", leaving the user to guess
what to do. It now says how to go on: make it writable, or (adding) save the suggestions as a
playlist of their own with `--m3u FILE` (the window names its own Save…)."""

from __future__ import annotations

import os

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.library.playlists import edit
from musicsage.usecases.library import playlist_track_ids, scan_library


@pytest.fixture
def read_only_mix(ctx, tmp_path):
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    path = lists / "Mix.m3u8"
    path.write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n{music / 'A/Two.wav'}\n", "utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    os.chmod(path, 0o444)
    yield ctx, path, ids, pid
    os.chmod(path, 0o644)


def _refusal(ctx, capsys, *args: str) -> str:
    rc = cli.main(["suggest", "Mix", *args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "", (rc, out, err)
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_an_add_refused_says_to_make_it_writable_or_save_a_playlist_of_its_own(read_only_mix,
                                                                              capsys):
    ctx, path, ids, _pid = read_only_mix
    before = path.read_bytes()

    line = _refusal(ctx, capsys, "--add", str(ids["B/Three.wav"]))

    assert line == (f"musicsage suggest: playlist 'Mix' is read-only ({path}); the file was "
                    "not touched: make it writable (chmod u+w) and try again, or save the "
                    "suggestions as a playlist of their own with `--m3u FILE`")
    assert path.read_bytes() == before
    assert not (ctx.data_dir / edit.BACKUP_DIR).exists(), "no backup made"


def test_a_remove_refused_says_to_make_it_writable(read_only_mix, capsys):
    """Saving the suggestions elsewhere is no way to take a track out: not offered."""
    ctx, path, ids, pid = read_only_mix
    before = path.read_bytes()

    line = _refusal(ctx, capsys, "--remove", str(ids["A/One.wav"]))

    assert line == (f"musicsage suggest: playlist 'Mix' is read-only ({path}); the file was "
                    "not touched: make it writable (chmod u+w) and try again")
    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"], ids["A/Two.wav"]]
