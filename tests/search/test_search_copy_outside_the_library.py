"""``similar FILE`` (and ``radio FILE``) where FILE is outside the library but a byte-identical
copy of it is in the library (a file downloaded again, one copied to a stick): the library's
copy is taken, and a note says which track and where. It said "FILE is not in the library
(scan its folder first)", and that scan would add the same song a second time."""

from __future__ import annotations

import json
import os
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


def _song(path, tone: float, seconds: int = 3, rate: int = 44100) -> None:
    """A tone between a second of silence at each end: songs as long are as many bytes, and
    their first and last 64 KiB (all the content hash reads) are the same silence."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


@pytest.fixture
def padded(capsys, ctx, tmp_path):
    """Two scanned songs of one length, silence at both ends, in the playlist ``mix.m3u``
    (imported); and ``Downloads/another song.wav``, a third such song, never scanned."""
    music = tmp_path / "music"
    music.mkdir()
    for i, tone in enumerate((220, 330)):
        _song(music / f"song{i}.wav", tone)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'song0.wav'}\n{music / 'song1.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    other = tmp_path / "Downloads" / "another song.wav"
    other.parent.mkdir()
    _song(other, 987)
    return music, mix, other


def test_another_song_of_the_same_size_and_ends_is_no_copy(capsys, ctx, padded):
    """Its content hash is song0's: it was taken for song0 — and ``suggest --remove`` then
    took song0 out of the user's playlist, ``--add`` wrote song0 into it."""
    from musicsage.library.moves import content_hash

    music, mix, other = padded
    size = other.stat().st_size
    assert size == (music / "song0.wav").stat().st_size
    assert other.read_bytes() != (music / "song0.wav").read_bytes()
    # the premise: one content hash (were the hash to read more, this would test nothing)
    assert content_hash(str(other), size) == content_hash(str(music / "song0.wav"), size)
    before = mix.read_bytes()
    for args in (["similar", str(other)], ["radio", str(other)],
                 ["suggest", "mix", "--remove", str(other)],
                 ["suggest", "mix", "--add", str(other)]):
        rc, out, err = run_cli(capsys, ctx, *args)
        assert (rc, out) == (1, ""), (args, out, err)
        assert err.strip().endswith(f"{other} is not in the library (scan its folder first)"), err
        assert "copy" not in err
    assert mix.read_bytes() == before


def test_an_identical_copy_is_never_written_into_or_out_of_a_playlist(capsys, ctx, padded):
    """``suggest --add/--remove`` write the user's playlist: a file outside the library is
    refused there as before, its identical copy in the library or not (what ``similar`` and
    ``radio`` take is only listened to)."""
    music, mix, _ = padded
    copy = mix.parent / "Downloads" / "song0 again.wav"
    shutil.copyfile(music / "song0.wav", copy)
    before = mix.read_bytes()
    for flag in ("--remove", "--add"):
        rc, out, err = run_cli(capsys, ctx, "suggest", "mix", flag, str(copy))
        assert (rc, out) == (1, ""), (flag, out, err)
        assert err.strip().endswith(f"{copy} is not in the library (scan its folder first)")
    assert mix.read_bytes() == before


def test_a_copy_whose_library_file_is_gone_is_not_taken(capsys, ctx, tmp_path, scanned):
    """Without the library's file no byte can be compared: refused as before."""
    path = next(p for p in scanned.values() if p.endswith("song3.wav"))
    outside = tmp_path / "song3 kept.wav"
    shutil.copyfile(path, outside)
    os.remove(path)
    rc, out, err = run_cli(capsys, ctx, "similar", str(outside), "--space", "audio")
    assert (rc, out) == (1, "")
    assert err.strip() == (f"musicsage similar: {outside} is not in the library (scan its "
                           "folder first)")
