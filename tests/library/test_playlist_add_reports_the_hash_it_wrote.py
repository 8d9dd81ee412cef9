"""An add says the sha256 of the playlist file it wrote (`suggest --add --json`: `sha256`):
the window's next add is checked against it at once, without waiting for the library to be
read again (a read that failed, or came back late, let the next add go with the hash of the
file before the first add: "changed on disk since it was read … re-scan it")."""

from __future__ import annotations

import hashlib
import json

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist


@pytest.fixture
def mix(ctx, tmp_path):
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    path = lists / "mix.m3u8"
    path.write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    return ctx, pid, path, ids


def test_the_json_of_an_add_holds_the_hash_of_the_file_it_wrote(mix, capsys):
    ctx, pid, path, ids = mix
    rc = cli.main(["suggest", str(pid), "--add", str(ids["A/Two.wav"]), "--json",
                   "--data-dir", str(ctx.data_dir)])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_add_checked_against_that_hash_is_written_at_once(mix):
    ctx, pid, path, ids = mix
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    first = add_to_playlist(ctx, pid, [ids["A/Two.wav"]], expected_sha256=before)

    second = add_to_playlist(ctx, pid, [ids["B/Three.wav"]], expected_sha256=first.sha256)

    assert second.added == [ids["B/Three.wav"]]
    assert second.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert playlist_track_ids(ctx, pid)[-2:] == [ids["A/Two.wav"], ids["B/Three.wav"]]
    with pytest.raises(MusicsageError, match="changed on disk since it was read"):
        add_to_playlist(ctx, pid, [ids["C/Five.wav"]], expected_sha256=first.sha256)


def test_an_add_that_writes_nothing_reports_no_hash(mix):
    ctx, pid, path, ids = mix
    report = add_to_playlist(ctx, pid, [ids["A/One.wav"]])  # already in it
    assert report.added == [] and report.sha256 is None
