"""Issue 16 item 2: two scans of one library at once both finish, with the database one scan gives."""

from __future__ import annotations

import subprocess
import sys

from robust_support import (REPO, SLOW_SCAN, assert_clean_success, child_env, cli, db_snapshot,
                            lines, start_script, tone_file)

def during_a_slow_scan(tmp_path, scan_args: list[str], *, probed: int, then):
    """Start a scan that probes each file slowly (0.2 s), wait until it has probed ``probed``
    files (it holds the library's scan lock), run ``then`` and return what it returns, once
    the scan has finished cleanly."""
    scan = start_script(SLOW_SCAN, tmp_path, *scan_args, env=child_env(SLOW_PROBE_S="0.2"),
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = 0
        for line in scan.stdout:
            seen += line.startswith("probed")
            if seen >= probed:
                break
        result = then()
        rest, err = scan.communicate(timeout=120)
    finally:
        if scan.poll() is None:
            scan.kill()
    assert scan.returncode == 0 and "finished" in rest, err[-3000:]
    return result


def assert_said_it_waited(done) -> None:
    """The command's stderr said it waited for the other scan (tqdm rewrites with \\r)."""
    assert any("another scan of this library is running" in line and "waiting" in line
               for line in done.stderr.split("\r") + lines(done.stderr)), done.stderr[-2000:]


def make_library_files(root, n=24):
    music, playlists = root / "music", root / "playlists"
    paths = [tone_file(music / f"album{i % 3}" / f"{i:02d} song.wav", seconds=0.3,
                       freq=200 + 20 * i) for i in range(n)]
    (music / "broken.mp3").parent.mkdir(parents=True, exist_ok=True)
    (music / "broken.mp3").write_bytes(b"not audio at all" * 50)
    playlists.mkdir()
    (playlists / "mix.m3u8").write_text("\n".join(str(p) for p in paths[::3]) + "\n/gone.flac\n")
    return music, playlists


def test_a_second_scan_waits_for_the_first_and_the_database_is_as_after_one(tmp_path):
    music, playlists = make_library_files(tmp_path)
    reference = tmp_path / "reference"
    assert_clean_success(cli("scan", str(music), "--playlists", str(playlists), data_dir=reference))
    expected = db_snapshot(reference / "library.sqlite3")

    data = tmp_path / "data"
    # 25 files at 0.2 s each: the second scan starts well within the first, even on a busy machine
    second = during_a_slow_scan(
        tmp_path, [str(data), str(music), str(playlists)], probed=3,
        then=lambda: cli("scan", str(music), "--playlists", str(playlists), data_dir=data))
    assert_clean_success(second)
    assert_said_it_waited(second)
    assert db_snapshot(data / "library.sqlite3") == expected


def test_two_scan_commands_started_together_both_succeed(tmp_path):
    music, playlists = make_library_files(tmp_path, n=40)
    reference = tmp_path / "reference"
    assert_clean_success(cli("scan", str(music), "--playlists", str(playlists), data_dir=reference))

    data = tmp_path / "data"
    argv = [sys.executable, "-m", "musicsage", "scan", str(music), "--playlists", str(playlists),
            "--data-dir", str(data)]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=REPO, env=child_env()) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, results):
        assert p.returncode == 0 and "Traceback" not in err, err[-3000:]
    assert db_snapshot(data / "library.sqlite3") == db_snapshot(reference / "library.sqlite3")


def test_an_import_during_a_scan_waits_for_it_instead_of_breaking_it(tmp_path):
    """A dataset dir naming files the scan is reading (an export of this music, imported while
    the window's watch or another terminal scans): the scan had listed them as new, so when
    the import added them first its insert failed on the duplicate path and the scan ended
    in a traceback. The import now waits for the scan, then updates the tracks it stored."""
    music = tmp_path / "music"
    paths = [tone_file(music / f"s{i:02d}.wav", seconds=0.2, freq=200 + 15 * i) for i in range(12)]
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "tracks.csv").write_text("track_id,title,artist,album,path\n" + "".join(
        f"x{i},Imported {i},Artist,Album,{p}\n" for i, p in enumerate(paths)))
    data = tmp_path / "data"
    # the scan is under way once it probed a file: it holds the lock, its listing is made
    imported = during_a_slow_scan(tmp_path, [str(data), str(music)], probed=1,
                                  then=lambda: cli("import", str(dataset), data_dir=data))
    assert_clean_success(imported)
    assert_said_it_waited(imported)
    tracks = db_snapshot(data / "library.sqlite3")["tracks"]
    assert len(tracks) == 12
