"""A file where the demo's music must go: a finished demo whose album folder was replaced by
a file (its tracks gone with it), or a first build asked for a folder under a file. Either is
refused in one line that says a file is in the way — it said the file "is not writable",
which sent the user to its permissions and changed nothing — and nothing is changed."""

from __future__ import annotations

import json
import shutil

import pytest

from musicsage.cli import main
from musicsage.demo.library import MANIFEST
from musicsage.demo.state import state_path
from musicsage.errors import MusicsageError
from musicsage.usecases.demo import build_demo

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", workers=1)


def test_a_file_where_an_album_folder_was_is_named_in_the_way(ctx):
    music = build_demo(ctx, until="generate", **TINY).music_dir
    names = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    album = music.joinpath(*names[0].split("/")).parent
    assert album != music, "the track lies in an album folder"
    shutil.rmtree(album)
    album.write_text("notes\n", encoding="utf-8")  # a file saved under the folder's name
    recorded = state_path(ctx.data_dir).read_bytes()

    with pytest.raises(MusicsageError) as refused:
        build_demo(ctx, until="generate", **TINY)
    said = str(refused.value)
    assert said.endswith(f"cannot render them again, a file is in the way at {album}; move "
                         "it away, then try again (nothing was changed)"), said
    assert album.read_text(encoding="utf-8") == "notes\n", "the user's file stays"
    assert state_path(ctx.data_dir).read_bytes() == recorded, "the finished stage stays"


def test_a_first_build_under_a_file_says_the_file_is_in_the_way(tmp_path, capsys):
    afile, data = tmp_path / "afile", tmp_path / "data"
    afile.write_text("x\n", encoding="utf-8")  # echo x > afile; musicsage demo afile/sub
    music = afile / "sub"
    code = main(["demo", str(music), "--data-dir", str(data), "--tracks", "8",
                 "--seconds", "1", "--until", "generate"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage demo: cannot write the demo music into {music}: a file is in the way at "
        f"{afile}; move it away, or choose another folder (nothing was changed)")
    assert afile.read_text(encoding="utf-8") == "x\n", "the user's file stays"
    assert not state_path(data).exists(), "nothing recorded"
