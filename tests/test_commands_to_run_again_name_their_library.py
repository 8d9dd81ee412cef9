"""A command a message tells the user to run again names the library it worked on: after
``musicsage --data-dir L embed`` was stopped, "run `musicsage embed` again", pasted as told,
embedded the per-user default library instead of finishing L's. The default library needs no
``--data-dir``, so its commands stay as short as typed."""

from __future__ import annotations

import argparse

from musicsage.commands.library import _again
from musicsage.context import library_option


def test_another_library_is_named_and_quoted_for_a_shell(tmp_path):
    lib = tmp_path / "my music lib"
    assert library_option(lib) == f"--data-dir '{lib}' "
    args = argparse.Namespace(data_dir=str(lib), model="spectral")
    assert _again(args, "embed", (("model", "--model"),)) == (
        f"`musicsage --data-dir '{lib}' embed --model spectral`")


def test_a_relative_data_dir_is_named_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert library_option("lib") == f"--data-dir {tmp_path / 'lib'} "


def test_the_default_library_and_none_given_are_not_named(tmp_path, monkeypatch):
    monkeypatch.setattr("musicsage.context.default_data_dir", lambda: tmp_path / "default")
    assert library_option(None) == ""
    assert library_option(tmp_path / "default") == ""
    args = argparse.Namespace(data_dir=None)
    assert _again(args, "scan", (), "/music") == "`musicsage scan /music`"


def test_a_data_dir_given_as_a_file_uri_is_named_by_its_path(tmp_path):
    """A file manager's copy of the folder (``file:///…``) opens that folder: the command names
    it as a path, not as a folder called 'file:' under the current one."""
    lib = tmp_path / "lib"
    assert library_option(lib.as_uri()) == f"--data-dir {lib} "
