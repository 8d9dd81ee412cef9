"""``python -m musicsage.desktop --uninstall`` reads the menu entry once, also when it keeps
it and says why (it read the entry a second time for the message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage import desktop


@pytest.fixture
def entry(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    path = tmp_path / "xdg-data" / "applications" / "musicsage.desktop"
    path.parent.mkdir(parents=True)
    return path


@pytest.fixture
def reads(entry, monkeypatch) -> list[Path]:
    """The reads of the entry's text."""
    seen: list[Path] = []
    real = Path.read_text

    def spy(self, *args, **kwargs):
        if self == entry:
            seen.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", spy)
    return seen


@pytest.mark.parametrize("whose, said", [
    ("other", "it starts the musicsage in /elsewhere; --uninstall --force removes it"),
    ("foreign", "musicsage's setup did not write it")])
def test_a_kept_entry_is_read_once_and_said(entry, reads, capsys, whose, said):
    entry.write_text(desktop.entry_text("/elsewhere/.venv/bin/python", "/elsewhere/main.py")
                     if whose == "other" else "[Desktop Entry]\nName=Mine\n")
    before = entry.read_bytes()
    assert desktop.main(["--uninstall"]) == 0
    assert capsys.readouterr().out == f"kept {entry}: {said}\n"
    assert entry.read_bytes() == before and len(reads) == 1


def test_no_entry_is_nothing_to_remove(entry, reads, capsys):
    assert desktop.main(["--uninstall"]) == 0
    assert capsys.readouterr().out == "nothing to remove\n" and reads == []


def test_this_checkouts_entry_is_removed_after_one_read(entry, reads, capsys):
    done = desktop.install()
    reads.clear()
    assert desktop.main(["--uninstall"]) == 0
    assert capsys.readouterr().out == f"removed {done.entry}, {done.icon}\n"
    assert not entry.exists() and len(reads) == 1
