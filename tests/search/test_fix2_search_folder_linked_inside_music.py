"""A link INSIDE a music folder (``Music/linked`` -> ``/elsewhere/album``): the scan stores
its tracks through the link, so ``similar /elsewhere/album`` said "holds no track of the
library: scan it first" — and that scan changed nothing."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from search_helpers import run_cli


def test_a_folder_linked_into_a_music_folder_holds_its_tracks(capsys, ctx, tmp_path):
    album = tmp_path / "elsewhere" / "album"
    album.mkdir(parents=True)
    music = tmp_path / "Music"
    music.mkdir()
    for i, where in enumerate((album, album, music)):
        sf.write(where / f"song{i}.wav", np.full(800, 0.1 * (i + 1), np.float32), 8000)
    (music / "linked").symlink_to(album)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    capsys.readouterr()
    for folder in (album, album.parent):
        rc, out, err = run_cli(capsys, ctx, "similar", str(folder))
        assert (rc, out) == (1, "")
        assert err.strip() == (f"musicsage similar: {folder} is a folder, not a track: give one "
                               "of its audio files, a title or a track id")
    empty = tmp_path / "elsewhere" / "empty"
    empty.mkdir()
    rc, out, err = run_cli(capsys, ctx, "similar", str(empty))
    assert "holds no track of the library: scan it first" in err
