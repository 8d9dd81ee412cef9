"""``main.py --screenshot PNG`` on a library that cannot be opened: the page saying so is a
settled window. The screenshot run waited for a library snapshot that never comes, then gave
up after ``--screenshot-timeout`` (900 s by default) with no PNG; now it saves the page and
exits 1 with the reason."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from musicsage.library import db
from musicsage.library.db import connect

ROOT = Path(__file__).resolve().parents[2]
GARBAGE = b"this is not a database, it only has its name" * 50


def run_main(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def _newer_schema(ctx) -> int:
    """Make the library's database one a newer musicsage wrote; the version recorded."""
    connect(ctx).close()
    newer = db.SCHEMA_VERSION + 7
    with sqlite3.connect(ctx.db_path) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (?, 'from the future')",
                     (newer,))
    conn.close()
    return newer


@pytest.mark.parametrize("kind", ["newer schema", "damaged"])
def test_a_screenshot_of_a_library_that_cannot_be_opened_shows_the_page(ctx, tmp_path, kind):
    if kind == "newer schema":
        version = _newer_schema(ctx)
        said = f"schema version {version}, newer than this musicsage"
    else:
        ctx.db_path.parent.mkdir(parents=True, exist_ok=True)
        ctx.db_path.write_bytes(GARBAGE)
        said = "damaged"
    png = tmp_path / "unreadable.png"
    out = run_main("--data-dir", str(ctx.data_dir), "--screenshot", str(png),
                   "--screenshot-timeout", "60", tmp_path=tmp_path)
    assert "gave up waiting" not in out.stderr
    assert out.returncode == 1 and "Traceback" not in out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("musicsage: cannot open the library: ") and said in last
    assert f"screenshot saved to {png}" in out.stdout
    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (1400, 860)
    if kind == "damaged":
        assert ctx.db_path.read_bytes() == GARBAGE  # left as it was
    else:
        with sqlite3.connect(ctx.db_path) as conn:
            assert max(r[0] for r in conn.execute("SELECT version FROM schema_migrations")) \
                == version
        conn.close()
