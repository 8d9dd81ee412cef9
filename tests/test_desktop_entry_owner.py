"""The menu entry is the user's one musicsage item: another checkout's setup (a CI clone, a
second copy) or a foreign entry (a flatpak's, the user's own) is left alone, and said so; and
scripts/setup.sh repairs what an interrupted or failed run left, with one line of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import desktop

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def entry(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return tmp_path / "xdg-data" / "applications" / "musicsage.desktop"


def other_checkouts_entry(tmp_path: Path, entry: Path, *, exists: bool) -> Path:
    other = tmp_path / "the user's musicsage"
    if exists:
        other.mkdir(exist_ok=True)
        (other / "main.py").write_text("")
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop.entry_text(str(other / ".venv/bin/python"), str(other / "main.py")))
    return other


def test_another_live_checkouts_entry_is_kept_and_said(tmp_path, entry, capsys):
    other = other_checkouts_entry(tmp_path, entry, exists=True)
    before = entry.read_bytes()
    assert desktop.main(["--quiet"]) == 0
    assert entry.read_bytes() == before
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1 and str(other) in said and "--force" in said
    assert desktop.uninstall() == [] and entry.read_bytes() == before
    assert desktop.main(["--uninstall"]) == 0 and entry.exists()
    assert "--force" in capsys.readouterr().out

    taken = desktop.install(force=True)
    assert taken.changed and desktop.entry_checkout(entry.read_text()) == REPO
    other_checkouts_entry(tmp_path, entry, exists=True)
    assert desktop.uninstall(force=True) == [entry, taken.icon] and not entry.exists()


def test_entry_of_a_deleted_checkout_is_taken_over(tmp_path, entry):
    other_checkouts_entry(tmp_path, entry, exists=False)
    done = desktop.install()
    assert done.changed and not done.kept
    assert desktop.entry_checkout(entry.read_text()) == REPO


def test_entry_written_before_the_checkout_key_is_recognised(tmp_path, entry):
    other = other_checkouts_entry(tmp_path, entry, exists=True)
    old = "".join(line for line in entry.read_text().splitlines(keepends=True)
                  if not line.startswith(desktop.CHECKOUT_KEY))
    entry.write_text(old)
    assert desktop.entry_checkout(old) == other
    assert str(other) in desktop.install().kept and entry.read_text() == old


def test_an_entry_we_did_not_write_is_never_replaced(entry, capsys):
    entry.parent.mkdir(parents=True)
    mine = "[Desktop Entry]\nType=Application\nName=musicsage (flatpak)\nExec=flatpak run x\n"
    entry.write_text(mine)
    for force in ([], ["--force"]):
        assert desktop.main(["--quiet", *force]) == 0 and entry.read_text() == mine
        said = capsys.readouterr().err.strip()
        assert len(said.splitlines()) == 1 and str(entry) in said and "did not write" in said
        assert desktop.uninstall(force=bool(force)) == [] and entry.read_text() == mine


def test_ci_does_not_add_a_menu_entry(tmp_path):
    script = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    step = script[script.index("# --- 4. application-menu entry"):]
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MUSICSAGE_NO_MENU_ENTRY", None)
    prelude = "set -euo pipefail\nsay() { printf 'setup: %s\\n' \"$*\" >&2; }\n"
    for ci, written in (("", True), ("true", False)):
        data = tmp_path / f"xdg-ci-{ci}"
        run = subprocess.run(["bash", "-c", f'{prelude}VENV="{venv}"\n{step}'], cwd=REPO,
                             capture_output=True, text=True, timeout=60,
                             env={**env, "CI": ci, "XDG_DATA_HOME": str(data)})
        assert run.returncode == 0
        assert (data / "applications" / "musicsage.desktop").exists() == written


FAKE_PYTHON = """#!/bin/bash
# python3.11 stand-in: `-m venv DIR` makes a venv whose pip works but cannot reach an index
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; exit 0
fi
if [ "$1 $2" = "-m pip" ]; then
    [ "$3" = --version ] && exit 0
    echo "ERROR: No matching distribution found (simulated: no network)" >&2; exit 1
fi
exec {real} "$@"
"""


@pytest.mark.skipif(not shutil.which("python3.11") or not shutil.which("flock"),
                    reason="needs python3.11 and flock")
def test_setup_replaces_a_half_made_venv_and_names_a_failed_install(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", checkout / "scripts" / "setup.sh")
    (checkout / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    fake = tmp_path / "python3.11"
    real = subprocess.run(["python3.11", "-c", "import sys; print(sys.executable)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    fake.write_text(FAKE_PYTHON.replace("{real}", real))
    fake.chmod(0o755)
    # a run stopped while venv ran ensurepip: Python 3.11, no pip
    subprocess.run([real, "-m", "venv", "--without-pip", str(checkout / ".venv")], check=True)
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "dpkg-query").write_text("#!/bin/sh\nprintf 'install ok installed'\n")
    (bin_ / "dpkg-query").chmod(0o755)
    env = {**os.environ, "PYTHON": str(fake), "PATH": f"{bin_}:{os.environ['PATH']}"}
    run = subprocess.run(["bash", "scripts/setup.sh"], cwd=checkout, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert "replacing" in run.stderr and "half-made" in run.stderr
    assert (checkout / ".venv/bin/python").read_text() == fake.read_text()
    assert run.stderr.strip().splitlines()[-1] == (
        "setup: could not install the dependencies (no network? disk full? see pip's message "
        "above); rerun setup once that is fixed")
    assert not (checkout / ".venv/.musicsage-setup").exists()


def test_setup_stops_on_a_python_that_is_not_3_11(tmp_path):
    env = {**os.environ, "PYTHON": str(tmp_path / "no-such-python3.11")}
    run = subprocess.run(["bash", str(REPO / "scripts" / "setup.sh")], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"setup: PYTHON={tmp_path / 'no-such-python3.11'} is not a working Python 3.11: "
        "point it at one (or unset it to let setup look)"]
