"""``python main.py [--data-dir D] [--select QUERY] [--screenshot PNG]`` end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def run_main(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_screenshot_of_an_empty_library_is_the_welcome_view(tmp_path):
    png = tmp_path / "welcome.png"
    out = run_main("--data-dir", str(tmp_path / "empty"), "--screenshot", str(png), tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    img = QImage(str(png))
    assert (img.width(), img.height()) == (1400, 860)
    assert not (tmp_path / "config").exists() or not list((tmp_path / "config").rglob("*.conf")), \
        "a screenshot run must not overwrite the user's saved layout"


def test_screenshot_selects_the_first_match(library, tmp_path):
    png = tmp_path / "map.png"
    out = run_main("--data-dir", str(library.data_dir), "--select", "Jazz", "--screenshot", str(png),
                   tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert QImage(str(png)).width() == 1400
    # the map (dark background, a few dots) fills the centre of the window
    img = QImage(str(png))
    samples = [img.pixelColor(x, y).lightness() for x in range(350, 800, 90) for y in range(150, 750, 120)]
    assert sum(v < 80 for v in samples) >= 0.8 * len(samples)


def test_select_without_a_match_fails_with_a_message(library, tmp_path):
    out = run_main("--data-dir", str(library.data_dir), "--select", "no such song anywhere",
                   "--screenshot", str(tmp_path / "x.png"), tmp_path=tmp_path)
    assert out.returncode == 1
    assert "no such song anywhere" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_screenshot_never_touches_a_file_that_is_no_image(tmp_path):
    """``--screenshot`` aimed at a song or at the library's own database emptied it (Qt opens
    the file for writing, then fails on the unknown format). Refused before the window opens."""
    data = tmp_path / "lib"
    song = tmp_path / "song.ogg"
    song.write_bytes(b"OggS" + bytes(range(200)))
    out = run_main("--data-dir", str(data), "--screenshot", str(tmp_path / "ok.png"),
                   tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    db = data / "library.sqlite3"
    kept = {p: p.read_bytes() for p in (song, db)}
    for target in (song, db, tmp_path):
        out = run_main("--data-dir", str(data), "--screenshot", str(target), tmp_path=tmp_path)
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert out.stderr.strip().splitlines()[-1].startswith(f"musicsage: --screenshot {target}")
    assert {p: p.read_bytes() for p in kept} == kept
