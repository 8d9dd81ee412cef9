"""Bad audio files (README: zero-byte, truncated; issue 16 item 8: a truncated WAV or MP3 no
longer passes with its header's duration). The scan lists each with its reason, goes on, and
leaves them alone; embed and similar work on the rest — including audio under another format's
extension (a FLAC named .mp3), which is read by its content and noted, not refused."""

from __future__ import annotations

import json

import numpy as np
from robust_support import (assert_clean_success, cli, lines, scanned_library, tone_file,
                            tree_snapshot)

REASONS = {
    "empty.mp3": "empty file",
    "truncated.wav": "truncated",
    "truncated.mp3": "truncated",
    "truncated.flac": "truncated",
    "text.ogg": "not a recognised audio file",
    "noise.m4a": "",
}


def make_bad_files(music):
    good = [tone_file(music / f"good{i}.{ext}", seconds=3.0, freq=300 + 100 * i)
            for i, ext in enumerate(["wav", "mp3", "flac"])]
    (music / "empty.mp3").write_bytes(b"")
    for src in good:  # the header promises 3 s, the file holds a third of it
        data = src.read_bytes()
        (music / f"truncated{src.suffix}").write_bytes(data[: len(data) // 3])
    for real, shown, freq in (("flac", "mp3", 900), ("wav", "flac", 1100)):  # misnamed, fine
        made = tone_file(music / f"{real}-named.{real}", seconds=3.0, freq=freq)
        good.append(made.rename(music / f"{real}-named.{shown}"))
    (music / "text.ogg").write_text("these are liner notes, not audio\n" * 20)
    (music / "noise.m4a").write_bytes(np.random.default_rng(0).bytes(4000))
    return good


def test_bad_files_are_listed_with_their_reason_and_the_scan_goes_on(tmp_path):
    music = tmp_path / "music"
    good = make_bad_files(music)
    before = tree_snapshot(music)
    data = tmp_path / "data"

    proc = cli("scan", str(music), data_dir=data)
    assert_clean_success(proc)
    errors = {line.split(": ", 2)[1].rsplit("/", 1)[-1]: line.split(": ", 2)[2]
              for line in lines(proc.stderr) if line.startswith("error: ")}
    assert set(errors) == set(REASONS)
    for name, reason in REASONS.items():
        assert reason in errors[name], (name, errors[name])
    assert f"{len(good)} new" in proc.stdout and f"{len(REASONS)} errors" in proc.stdout
    assert "flac-named.mp3: FLAC audio under the extension .mp3 (read as FLAC)" in proc.stdout
    assert "wav-named.flac: WAV audio under the extension .flac (read as WAV)" in proc.stdout

    stats = json.loads(cli("stats", "--json", data_dir=data).stdout)
    assert stats["tracks"]["total"] == len(good) and stats["errors"] == len(REASONS)

    embed = cli("embed", "--model", "spectral", "--json", data_dir=data)
    assert_clean_success(embed)
    assert json.loads(embed.stdout)["embedded"] == len(good)
    similar = cli("similar", str(good[0]), "--space", "audio", "--json", data_dir=data)
    assert_clean_success(similar)
    assert len(json.loads(similar.stdout)["audio"]) == len(good) - 1

    again = cli("scan", str(music), data_dir=data)  # still errors, still nothing deleted
    assert_clean_success(again)
    assert f"{len(REASONS)} errors" in again.stdout
    assert tree_snapshot(music) == before


def test_a_track_that_becomes_truncated_is_an_error_and_loses_its_vector(tmp_path):
    music, data, files = scanned_library(tmp_path, {"song.wav": 440, "other.wav": 600}, seconds=3)
    song = files["song.wav"]
    raw = song.read_bytes()
    song.write_bytes(raw[: len(raw) // 2])  # a copy that broke off half-way

    proc = cli("scan", str(music), data_dir=data)
    assert_clean_success(proc)
    assert any("song.wav" in line and "truncated" in line for line in lines(proc.stderr))
    stats = json.loads(cli("stats", "--json", data_dir=data).stdout)
    assert stats["errors"] == 1 and sum(stats["embeddings"].values()) == 1
