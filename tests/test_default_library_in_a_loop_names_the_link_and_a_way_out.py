"""The default library folder (no ``--data-dir``) in a loop of links: the line said "the
library folder …/musicsage: a loop of symbolic links (nothing was created)", naming neither
the link nor what to do, though the user typed no path. It names the link that leads into the
loop and says to give ``--data-dir`` a folder. The demo's folder keeps its own line (its
tests pin it)."""

from __future__ import annotations

import os

import pytest

from musicsage.cli import main

WAY = "nothing was created; give --data-dir a folder for the library"


@pytest.mark.parametrize("command", [["stats"], ["scan", "."]])
def test_a_loop_of_links_names_the_link_and_a_way_out(tmp_path, monkeypatch, capsys, command):
    loop = tmp_path / "loop"
    os.symlink(loop, loop)  # loop -> loop
    monkeypatch.setenv("XDG_DATA_HOME", str(loop))

    assert main(command) == 1

    err = capsys.readouterr().err.strip()
    assert err == (f"musicsage {command[0]}: the library folder {loop / 'musicsage'}: {loop} "
                   f"leads into a loop of symbolic links: {WAY}"), err


def test_a_link_into_a_loop_further_on_is_the_one_named(tmp_path, monkeypatch, capsys):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    data = tmp_path / "data"
    data.symlink_to(tmp_path / "a")  # data -> a -> b -> a
    monkeypatch.setenv("XDG_DATA_HOME", str(data))

    assert main(["stats"]) == 1

    err = capsys.readouterr().err.strip()
    assert err == (f"musicsage stats: the library folder {data / 'musicsage'}: {data} leads "
                   f"into a loop of symbolic links: {WAY}"), err


def test_the_library_folder_itself_a_loop_is_named_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg").mkdir()
    folder = tmp_path / "xdg" / "musicsage"
    folder.symlink_to(folder)

    assert main(["stats"]) == 1

    err = capsys.readouterr().err.strip()
    assert err == (f"musicsage stats: the library folder {folder} leads into a loop of "
                   f"symbolic links: {WAY}"), err
