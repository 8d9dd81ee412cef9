"""``stats`` counted under "errors" the failure of a track whose file was since deleted: its
row stays (it says why the track has no vector should the file come back), but nothing can be
done about it meanwhile. The text counts the errors one can act on, and names those of missing
tracks apart; ``stats --json`` keeps its keys and counts every row, as before."""

from __future__ import annotations

import json
import math
import struct
import wave
from pathlib import Path

from musicsage.cli import main


def _wav(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.05)))
                               for i in range(int(22050 * seconds))))


def _library_with_a_failed_track_gone(tmp_path: Path, capsys) -> list[str]:
    """A library of one track analysed, one too short to analyse (its error row) whose
    file is then deleted, and one empty file the scan cannot read (an error one can act
    on)."""
    music = tmp_path / "music"
    music.mkdir()
    _wav(music / "ok.wav", 3.0)
    _wav(music / "click.wav", 0.01)
    (music / "empty.wav").write_bytes(b"")
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(music)]) == 0
    assert main([*argv, "embed", "--model", "spectral"]) == 0
    (music / "click.wav").unlink()
    assert main([*argv, "scan"]) == 0
    capsys.readouterr()
    return argv


def _errors_line(capsys, argv: list[str]) -> str:
    assert main([*argv, "stats"]) == 0
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("errors "))


def test_the_error_of_a_track_now_missing_is_named_apart(tmp_path, capsys):
    argv = _library_with_a_failed_track_gone(tmp_path, capsys)

    assert _errors_line(capsys, argv) == (
        "errors     1 (scan: 1); 1 more, of a track now missing (embed:spectral: 1)")


def test_stats_json_keeps_its_keys_and_counts(tmp_path, capsys):
    argv = _library_with_a_failed_track_gone(tmp_path, capsys)

    assert main([*argv, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["errors"] == 2
    assert stats["errors_by_stage"] == {"embed:spectral": 1, "scan": 1}


def test_forget_missing_leaves_the_errors_one_can_act_on(tmp_path, capsys):
    """A guard: once the missing track is forgotten, its row goes, and the line is as before."""
    argv = _library_with_a_failed_track_gone(tmp_path, capsys)
    assert main([*argv, "forget", "--missing"]) == 0
    capsys.readouterr()

    assert _errors_line(capsys, argv) == "errors     1 (scan: 1)"
