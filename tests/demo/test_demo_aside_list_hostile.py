"""The manifest's list of files an unfinished demo build moved aside (``"aside"``) is read
from a file in the user's music folder: a damaged or hostile list — names leading out of the
folder, absolute paths, not strings, not a list — names nothing, and never a file outside it."""

from __future__ import annotations

import pytest

from musicsage.demo.aside import ASIDE_KEY, recorded_aside, stopped_aside_note


@pytest.mark.parametrize("listed", [
    ["../outside.yours"], ["/etc/passwd"], ["a/../../outside.yours"], ["a\\..\\x"],
    ["a\x00b"], [""], ["."], [5, None, {"x": 1}], "Best of.m3u8.yours", {"a": 1}, None])
def test_a_damaged_or_hostile_aside_list_names_nothing(tmp_path, listed):
    music = tmp_path / "demo-music"
    music.mkdir()
    (tmp_path / "outside.yours").write_text("the user's")
    manifest = {"complete": False, "files": [], ASIDE_KEY: listed}

    assert recorded_aside(music, manifest) == []
    assert stopped_aside_note(music, manifest) is None


def test_a_finished_builds_list_is_not_said(tmp_path):
    music = tmp_path / "demo-music"
    (music / "Playlists").mkdir(parents=True)
    (music / "Playlists" / "Mix.m3u8.yours").write_text("#EXTM3U\n")
    listed = {"files": [], ASIDE_KEY: ["Playlists/Mix.m3u8.yours"]}

    assert recorded_aside(music, {**listed, "complete": False}) == [
        music / "Playlists" / "Mix.m3u8.yours"]
    assert recorded_aside(music, {**listed, "complete": True}) == []
