"""``embed --json`` says why a run had nothing to do, as the text line does.

It gave ``"total": 0`` alone: a script (or the user reading it) could not tell a library whose
every track has its vectors from one whose audio files are all missing (a drive unplugged), or
one with no tracks left at all — the text output named each.
"""

from __future__ import annotations

import json
import shutil

from music_support import make_music

from musicsage.cli import main


def _embed_json(capsys, data_dir) -> dict:
    code = main(["--data-dir", str(data_dir), "embed", "--model", "spectral", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_embed_json_names_why_nothing_was_embedded(tmp_path, capsys, data_dir):
    music, _, _ = make_music(tmp_path, n_tracks=3, seconds=0.5)
    assert main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    capsys.readouterr()
    first = _embed_json(capsys, data_dir)
    assert first["embedded"] == 3 and first["nothing_to_do"] is None

    done = _embed_json(capsys, data_dir)
    assert done["total"] == 0
    assert done["nothing_to_do"] == ("nothing to embed: every track with an audio file has a "
                                     "spectral vector")

    shutil.rmtree(music)
    assert main(["--data-dir", str(data_dir), "scan"]) in (0, 1)
    capsys.readouterr()
    gone = _embed_json(capsys, data_dir)
    assert gone["total"] == 0
    assert gone["nothing_to_do"] == ("nothing to embed: 3 tracks' audio files are missing "
                                     "(a drive unplugged?)")
