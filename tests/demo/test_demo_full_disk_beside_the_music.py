"""A disk that fills up while the demo writes its playlists or its manifest (the music
rendered, the small files last) is said as one rendering a track is: the disk named, and
what to do — not "No space left on device: DIR/Playlists/.NAME.m3u8.part" — and the half-
written ``.part`` goes (it stayed, taking room on the full disk). Room made, the next run
finishes the folder."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from musicsage.demo import library as demo_library
from musicsage.demo.manifest import MANIFEST, read_manifest
from musicsage.errors import MusicsageError

real_write_text = Path.write_text


def filling_up(which: str):
    """``Path.write_text`` on a disk that fills up while it writes the ``.part`` file whose
    name holds ``which``: half of the text lands, then ENOSPC."""
    def write_text(path: Path, text: str, *args, **kwargs):
        if path.name.endswith(".part") and which in path.name:
            real_write_text(path, text[: len(text) // 2], *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write_text(path, text, *args, **kwargs)
    return write_text


@pytest.mark.parametrize("which", [".m3u8", ".xspf", MANIFEST])
def test_a_full_disk_while_writing_a_playlist_or_the_manifest_is_one_line(
        tmp_path, monkeypatch, which):
    music = tmp_path / "music"
    music.mkdir()
    (music / ".draft.part").write_text("mine")  # the user's own

    monkeypatch.setattr(Path, "write_text", filling_up(which))
    with pytest.raises(MusicsageError) as refused:
        demo_library.generate_demo(music, n_tracks=8, seconds=1.0, workers=1)
    line = str(refused.value)
    assert line == (f"the disk holding {music} is full (No space left on device): make room "
                    "on it, then try again")
    partials = sorted(music.rglob("*.part"))
    assert partials == [music / ".draft.part"], "only the file it was writing goes"

    monkeypatch.setattr(Path, "write_text", real_write_text)  # room made
    report = demo_library.generate_demo(music, n_tracks=8, seconds=1.0, workers=1)
    assert read_manifest(music)["complete"] is True
    assert report.playlists and all((music / name).is_file()
                                    for name in read_manifest(music)["files"])
