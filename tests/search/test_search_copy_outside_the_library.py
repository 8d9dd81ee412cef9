"""``similar FILE`` (and ``radio FILE``) where FILE is outside the library but a byte-identical
copy of it is in the library (a file downloaded again, one copied to a stick): the library's
copy is taken, and a note says which track and where. It said "FILE is not in the library
(scan its folder first)", and that scan would add the same song a second time."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf
from search_helpers import clustered_vectors, run_cli

from musicsage.library.queries import store_embeddings


@pytest.fixture
def scanned(capsys, ctx, tmp_path):
    """Four scanned WAV files of different content, each with an audio vector: their paths
    by track id."""
    music = tmp_path / "music"
    music.mkdir()
    for i in range(4):
        sf.write(music / f"song{i}.wav", np.full(4000, 0.1 * (i + 1), np.float32), 8000)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    from musicsage.library.db import connect

    conn = connect(ctx)
    paths = {int(r[0]): r[1] for r in conn.execute("SELECT id, path FROM tracks ORDER BY id")}
    store_embeddings(conn, zip(paths, clustered_vectors(len(paths))), "spectral-test", "v1")
    conn.commit()
    return paths


def test_a_copy_outside_the_library_names_the_librarys_copy(capsys, ctx, tmp_path, scanned):
    track_id, path = next((t, p) for t, p in scanned.items() if p.endswith("song2.wav"))
    outside = tmp_path / "Downloads" / "the same song.wav"
    outside.parent.mkdir()
    shutil.copyfile(path, outside)
    rc, out, err = run_cli(capsys, ctx, "similar", str(outside), "-k", "2", "--space", "audio")
    assert rc == 0, err
    assert out.startswith(f"Similar to #{track_id}:")
    assert (f"note: {outside} is not in the library, but a copy of it is: took #{track_id}, "
            f"the same content at {path}") in err
    assert "scan its folder first" not in err
    rc, out, err = run_cli(capsys, ctx, "similar", str(outside), "--json", "--space", "audio")
    data = json.loads(out)
    assert rc == 0 and data["query"]["track_id"] == track_id
    assert f"took #{track_id}" in data["query_note"]
    rc, out, err = run_cli(capsys, ctx, "radio", str(outside), "--length", "2")
    assert rc == 0 and out.startswith(f"Radio from #{track_id}:"), err


def test_a_file_of_other_content_is_still_sent_to_be_scanned(capsys, ctx, tmp_path, scanned):
    path = next(p for p in scanned.values() if p.endswith("song1.wav"))
    changed = tmp_path / "changed.wav"
    shutil.copyfile(path, changed)
    with open(changed, "ab") as fh:  # same start, another end and size: another file
        fh.write(b"\0" * 16)
    rc, out, err = run_cli(capsys, ctx, "similar", str(changed))
    assert rc == 1 and out == ""
    assert err.strip() == f"musicsage similar: {changed} is not in the library (scan its folder first)"
