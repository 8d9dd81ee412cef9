"""The command line as a script or a file manager drives it: a closed stdout or stderr
(``>&-``, ``2>&-``), paths given as ``file://`` URIs, a cut file given to ``tags``, and
``embed --threads 0`` on a library with nothing to embed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _tone(path: Path, seconds: float = 3.0, hz: float = 220.0) -> Path:
    t = np.arange(int(22050 * seconds)) / 22050
    sf.write(path, (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32), 22050)
    return path


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, Path]:
    """(music folder of three tones, in a name that needs quoting as a URI; its library):
    `similar` has no list of two songs."""
    music = tmp_path_factory.mktemp("music") / "My Music #1 %20 東京"
    music.mkdir()
    for i in range(3):
        _tone(music / f"t{i}.wav", hz=220.0 * (i + 1))
    data = tmp_path_factory.mktemp("lib") / "lib"
    assert main(["--data-dir", str(data), "scan", str(music)]) == 0
    return music, data


def _uri(path: Path) -> str:
    return "file://" + urllib.parse.quote(str(path))


def _closed(fd: int, *argv: str) -> subprocess.CompletedProcess:
    """``musicsage ARGV`` with ``fd`` closed, as ``musicsage … 2>&-`` (``>&-``) runs it."""
    return subprocess.run([sys.executable, "-m", "musicsage", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.close(fd))


def test_a_command_with_stderr_closed_does_its_work_and_keeps_its_status(library, tmp_path):
    """tqdm's bars on a closed stderr crashed embed (exit 70) before any work."""
    _music, data = library
    done = _closed(2, "--data-dir", str(data), "embed", "--model", "spectral")
    assert done.returncode == 0
    assert "embedded 3 of 3 tracks" in done.stdout and "unexpected" not in done.stdout


def test_with_stderr_closed_an_error_line_does_not_land_in_stdout(tmp_path):
    done = _closed(2, "--data-dir", str(tmp_path / "nope"), "stats")
    assert (done.returncode, done.stdout) == (1, "")
    assert not (tmp_path / "nope").exists()


def test_json_on_a_closed_stdout_exits_0_without_a_word(library):
    """json.dump to a closed stdout crashed with 70; text output already exited 0."""
    _music, data = library
    for argv in (["stats", "--json"], ["stats"]):
        done = _closed(1, "--data-dir", str(data), *argv)
        assert (done.returncode, done.stderr) == (0, ""), argv


def test_file_uris_name_the_library_and_the_folders_they_mean(library, tmp_path, monkeypatch,
                                                              capsys):
    """--data-dir, export DIR, --m3u and forget FOLDER read a file:// URI as scan's PATH
    does: they made `./file:/…` folders, or said the folder was not the library's."""
    music, _data = library
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    data, out = tmp_path / "uri lib", tmp_path / "out #1"
    m3u, radio = tmp_path / "mix %.m3u", tmp_path / "radio #2.m3u"
    assert main(["--data-dir", _uri(data), "scan", _uri(music)]) == 0
    assert main(["--data-dir", _uri(data), "embed", "--model", "spectral"]) == 0
    assert main(["--data-dir", _uri(data), "export", _uri(out)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", _uri(data), "similar", "1", "-k", "1", "--m3u", _uri(m3u),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["m3u"]["path"] == str(m3u)
    assert main(["--data-dir", _uri(data), "radio", "1", "--length", "1", "--m3u", _uri(radio),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["m3u"]["path"] == str(radio)
    assert (data / "library.sqlite3").is_file() and (out / "tracks.csv").is_file()
    for playlist in (m3u, radio):  # the query (seed) and its neighbour
        assert playlist.read_text(encoding="utf-8").count(".wav") == 2
    assert main(["--data-dir", _uri(data), "forget", _uri(music), "--json"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["roots"] == []
    assert os.listdir(cwd) == []  # never a folder named 'file:'


def test_a_uri_of_another_machine_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", "file://nas/music-lib", "stats"]) == 1
    assert capsys.readouterr().err == ("musicsage stats: file://nas/music-lib names a file on "
                                       "another machine (nas): give a path on this one "
                                       "(nothing was done)\n")
    assert os.listdir(tmp_path) == []


def test_tags_refuses_a_cut_file_in_the_scans_words(tmp_path, monkeypatch, capsys):
    """The decoder read what the cut file held: tags gave confident tags for a file the
    scan refuses. The network is never loaded for it."""
    import musicsage.audio.musicnn.network as network

    def no_network(*_args, **_kwargs):
        raise AssertionError("the network was loaded for a file the scan refuses")

    monkeypatch.setattr(network, "load_network", no_network)
    music = tmp_path / "music"
    music.mkdir()
    whole = _tone(tmp_path / "whole.wav", seconds=6.0).read_bytes()
    cut = music / "cut.wav"
    cut.write_bytes(whole[:len(whole) // 2])
    assert main(["--data-dir", str(tmp_path / "lib"), "scan", str(music)]) == 0
    scan_err = capsys.readouterr().err
    assert main(["tags", str(cut)]) == 1
    out, err = capsys.readouterr()
    reason = "audio ends early (truncated or damaged file?: the header says 6.0 s, the file " \
             "holds 3.0 s)"
    assert f"error: {cut}: {reason}" in scan_err
    assert (out, err) == ("", f"musicsage tags: {cut}: {reason}\n")


@pytest.mark.parametrize("threads", ["0", "-1"])
def test_embed_refuses_threads_below_one_even_with_nothing_to_embed(library, capsys, threads):
    _music, data = library
    assert main(["--data-dir", str(data), "embed", "--model", "spectral"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "embed", "--threads", threads]) == 1
    assert capsys.readouterr() == ("", f"musicsage embed: --threads must be at least 1, got "
                                       f"{threads} (leave it out to use every core)\n")
