"""Two things a write into the user's playlist got wrong: a track named ``file:odd.wav``
written as ``file:odd.wav`` into a relative M3U (read back as a URI: the add was refused),
and a backup of a private (0600) playlist readable by every user of the machine."""

from __future__ import annotations

import os
import stat

import pytest
from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.usecases.library import list_tracks, scan_library
from musicsage.usecases.suggest import add_to_playlist


@pytest.fixture
def relative_mix(ctx, tmp_path):
    """``music/mix.m3u8`` naming ``One.wav`` by a relative path, beside ``file:odd.wav``."""
    music = tmp_path / "music"
    for n, name in enumerate(("One.wav", "Two.wav", "file:odd.wav")):
        write_audio(music / name, seconds=0.1 * (n + 1))  # not copies of one file
    mix = music / "mix.m3u8"
    mix.write_text("One.wav\n", encoding="utf-8")
    scan_library(ctx, [music], [mix])
    ids = {os.path.basename(t.path): t.id for t in list_tracks(ctx)}
    pid = connect(ctx).execute("SELECT id FROM playlists").fetchone()[0]
    return mix, pid, ids


def test_a_name_like_a_uri_is_written_as_a_relative_path(ctx, relative_mix):
    mix, pid, ids = relative_mix
    report = add_to_playlist(ctx, pid, [ids["file:odd.wav"]])
    assert report.added == [ids["file:odd.wav"]] and report.resolved == 2, report
    assert mix.read_text(encoding="utf-8") == "One.wav\n./file:odd.wav\n"


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_the_backup_is_no_more_readable_than_the_playlist(ctx, relative_mix, mode):
    mix, pid, ids = relative_mix
    os.chmod(mix, mode)
    scan_library(ctx, [], [mix])  # re-imported: its stamp is the one after the chmod
    old = os.umask(0o022)
    try:
        report = add_to_playlist(ctx, pid, [ids["Two.wav"]])
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(report.backup).st_mode) == mode
    assert stat.S_IMODE(os.stat(mix).st_mode) == mode  # the playlist keeps its own
