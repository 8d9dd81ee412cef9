"""The application-menu entry and icon (musicsage/desktop.py), installed into a temporary
XDG_DATA_HOME, and the setup script's step that runs it (never fatal)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import desktop

REPO = Path(__file__).resolve().parent.parent


def unescape_exec(value: str) -> list[str]:
    """Split an Exec value as the Desktop Entry Specification says a launcher does: string
    escapes first (``\\\\`` -> ``\\``), then quoted arguments (``\\"``, ``\\$`` … inside quotes)."""
    value = value.replace("\\\\", "\\").replace("%%", "%")
    args, cur, quoted, i, started = [], "", False, 0, False
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and i + 1 < len(value):
            cur, i = cur + value[i + 1], i + 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started:
                args.append(cur)
            cur, started = "", False
        else:
            cur, started = cur + c, True
        i += 1
    if started:
        args.append(cur)
    return args


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_install_writes_a_valid_entry_and_the_icon(xdg):
    python = "/opt/my env/bin/python"
    main_py = '/home/me/100% "odd" $dir\\x/main.py'
    done = desktop.install(python=python, main_py=main_py)
    assert done.changed
    assert done.entry == xdg / "applications" / "musicsage.desktop"
    entry = read_entry(done.entry)
    assert entry["Type"] == "Application" and entry["Name"] == "musicsage"
    assert entry["Icon"] == "musicsage" and entry["Terminal"] == "false"
    assert unescape_exec(entry["Exec"]) == [python, main_py]
    assert entry["Categories"].endswith(";") and "AudioVideo" in entry["Categories"]
    assert done.icon == xdg / "icons/hicolor/scalable/apps/musicsage.svg"
    assert done.icon.read_bytes() == desktop.ICON_SOURCE.read_bytes()
    from defusedxml.ElementTree import fromstring

    assert fromstring(done.icon.read_bytes()).tag.endswith("svg")
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(["desktop-file-validate", str(done.entry)], capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


def test_default_entry_starts_this_checkouts_main_py(xdg):
    entry = read_entry(desktop.install().entry)
    args = unescape_exec(entry["Exec"])
    assert args[1] == str(REPO / "main.py") and Path(args[0]).name.startswith("python")
    assert entry["TryExec"] == args[0]


def test_install_is_idempotent_and_uninstall_removes_only_ours(xdg):
    first = desktop.install()
    stamp = first.entry.stat().st_mtime_ns
    assert desktop.install().changed is False and first.entry.stat().st_mtime_ns == stamp
    assert desktop.uninstall() == [first.entry, first.icon]
    assert not first.entry.exists() and not first.icon.exists()
    first.entry.write_text("[Desktop Entry]\nName=someone else's musicsage\n")
    assert desktop.uninstall() == [] and first.entry.exists()


def test_relative_xdg_data_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop.data_home() == tmp_path / ".local" / "share"


def test_setup_step_is_last_and_never_fatal(tmp_path):
    script = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    step = script[script.index("# --- 4. application-menu entry"):]
    assert "musicsage.desktop" in step and step.rstrip().endswith('"')
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the data dir should be")
    env = {**os.environ, "XDG_DATA_HOME": str(blocked), "PYTHONPATH": str(REPO)}
    for skip in ("CI", "MUSICSAGE_NO_MENU_ENTRY"):  # they skip the step
        env.pop(skip, None)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    prelude = "set -euo pipefail\nsay() { printf 'setup: %s\\n' \"$*\" >&2; }\n"
    run = subprocess.run(["bash", "-c", f'{prelude}VENV="{venv}"\n{step}\necho "setup went on"'],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert run.returncode == 0 and "setup went on" in run.stdout
    assert "could not add musicsage to the application menu" in run.stderr
    assert "Traceback" not in run.stderr
