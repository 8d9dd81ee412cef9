"""Which files are playlists is one rule for ``scan --playlists`` of a folder, a rescan's look
for renamed playlists and the folder watch (library/playlists/store.py ``is_playlist_name``,
library/watch_targets.py), and its macOS litter part is the walk's own
(:func:`~musicsage.library.walk.is_resource_fork`): each wrote ``startswith("._")`` out by
hand, so a change of the rule in one place left the others reading what it skips."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage.library.playlists import store
from musicsage.library.playlists.store import find_playlist_files, is_playlist_name
from musicsage.library.walk import is_resource_fork
from musicsage.library.watch_targets import playlist_files

NAMES = ["mix.m3u", "._mix.m3u", "~$mix.m3u", ".hidden.pls", "...And Justice.m3u8",
         "cover.jpg", "._cover.jpg"]


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_bytes(b"\0\5\26\7Mac OS X")
    return folder


def _names(paths: list[str]) -> list[str]:
    return [p.rsplit("/", 1)[1] for p in paths]


def test_the_scan_and_the_watch_read_the_same_playlist_files(lists):
    wanted = sorted(n for n in NAMES if is_playlist_name(n))

    assert wanted == ["...And Justice.m3u8", ".hidden.pls", "mix.m3u", "~$mix.m3u"]
    assert not any(is_resource_fork(n) for n in wanted)
    assert _names(find_playlist_files(str(lists))) == wanted
    assert _names(playlist_files(str(lists), recursive=False)) == wanted
    assert _names(playlist_files(str(lists), recursive=True)) == wanted


def test_a_change_of_the_litter_rule_reaches_every_reader(lists, monkeypatch):
    """Office's ``~$`` lock files taken for litter too: the scan and both watch paths follow."""
    monkeypatch.setattr(store, "is_resource_fork",
                        lambda name: name.startswith(("._", "~$")))

    assert _names(find_playlist_files(str(lists))) == [
        "...And Justice.m3u8", ".hidden.pls", "mix.m3u"]
    assert _names(playlist_files(str(lists), recursive=False)) == [
        "...And Justice.m3u8", ".hidden.pls", "mix.m3u"]
    assert _names(playlist_files(str(lists), recursive=True)) == [
        "...And Justice.m3u8", ".hidden.pls", "mix.m3u"]
