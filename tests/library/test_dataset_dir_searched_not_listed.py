"""What opening a dataset dir's files takes is searching the folder (its ``x`` bit), not
listing it (its ``r`` bit). The refusal of a closed dataset dir asked for the listing: a
``711`` folder (another user's, shared by name) had every problem of its files — a
``memberships.csv`` that is a folder — blamed on the dir, and a ``444`` folder
(``chmod a-x``), which can be listed but none of whose files can be opened, was still
refused as "tracks.csv cannot be read". Now the dir is refused only when it cannot be
searched."""

from __future__ import annotations

import builtins
import errno
import os

import pytest

from musicsage.cli import main


def _refused(name: str) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)


def _spelled(path) -> str:
    """The path as the system walks it: "DIR/." is a look inside DIR (not normalised)."""
    return os.path.join(os.getcwd(), os.fsdecode(os.fspath(path)))


def _act_as(monkeypatch, src, mode: int) -> None:
    """Make ``src`` act as a folder of ``mode`` (0o711 or 0o444) does to a user who is not
    root (root passes any mode, so the refusals are made here)."""
    inside = os.fspath(src) + os.sep

    def refusing(real, listing: bool):
        def call(path=".", *args, **kwargs):
            if not isinstance(path, (str, bytes, os.PathLike)):
                return real(path, *args, **kwargs)
            name = _spelled(path)
            no_list = mode == 0o711 and listing and os.path.normpath(name) == os.fspath(src)
            no_search = mode == 0o444 and not listing and name.startswith(inside)
            if no_list or no_search:
                raise _refused(name)
            return real(path, *args, **kwargs)
        return call

    for module, name, listing in ((os, "lstat", False), (os, "stat", False),
                                  (os, "scandir", True), (os, "listdir", True),
                                  (builtins, "open", False)):
        monkeypatch.setattr(module, name, refusing(getattr(module, name), listing))


@pytest.fixture
def dataset(tmp_path):
    """A dataset dir whose memberships.csv is a folder (a problem of its own)."""
    src = tmp_path / "dataset"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n1,a\n", encoding="utf-8")
    (src / "memberships.csv").mkdir()
    return src


def test_a_dir_that_can_be_searched_not_listed_keeps_its_files_words(tmp_path, capsys,
                                                                       monkeypatch, dataset):
    _act_as(monkeypatch, dataset, 0o711)

    code = main(["--data-dir", str(tmp_path / "lib"), "import", str(dataset)])

    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage import: {dataset} is not a dataset dir: memberships.csv is a folder, "
        "not a file")


@pytest.mark.parametrize("command", ["import", "train"])
def test_a_dir_that_can_be_listed_not_searched_is_named(tmp_path, capsys, monkeypatch,
                                                         dataset, command):
    _act_as(monkeypatch, dataset, 0o444)
    argv = ["import", str(dataset)] if command == "import" else [
        "train", "--dataset", str(dataset), "--out", str(tmp_path / "out")]

    code = main(["--data-dir", str(tmp_path / "lib"), *argv])

    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage {command}: {dataset} cannot be opened: this user may not open that "
        "folder (Permission denied)")
    if command == "import":
        assert not (tmp_path / "lib").exists()  # refused before a library was made
