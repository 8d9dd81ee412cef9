"""``demo DIR`` where DIR, or a folder above it, is a link to nowhere (a drive not mounted):
the demo's music was written at the link's target — into the empty mount point — as
``--data-dir`` under such a link made the library there. It is refused in one line, nothing
created, as ``--data-dir`` is; a loop of links ended in "unexpected error (RuntimeError …)"."""

from __future__ import annotations

import pytest

from musicsage import cli

BUILD = ["--tracks", "8", "--seconds", "1", "--until", "generate"]  # a build that writes music


@pytest.mark.parametrize("below", ["", "m"])
def test_a_music_folder_through_a_link_to_nowhere_is_refused(tmp_path, capsys, below):
    target = tmp_path / "media" / "usb"  # the mount point of a drive not plugged in
    usb = tmp_path / "usb"
    usb.symlink_to(target)
    music = usb / below if below else usb
    lib = tmp_path / "lib"

    rc = cli.main(["demo", "--data-dir", str(lib), str(music), *BUILD])

    err = capsys.readouterr().err.strip()
    where = f"{music}: {usb}" if below else str(usb)
    assert rc == 1 and err == (f"musicsage demo: the demo's music folder {where} is a link to "
                               f"{target}, which does not exist (a drive not mounted?) "
                               "(nothing was created)"), err
    assert not (tmp_path / "media").exists() and not lib.exists()
    assert usb.is_symlink() and not usb.exists()  # the link itself is left as it was


def test_a_music_folder_in_a_loop_of_links_is_refused(tmp_path, capsys):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    lib = tmp_path / "lib"

    rc = cli.main(["demo", "--data-dir", str(lib), str(tmp_path / "a" / "m"), *BUILD])

    err = capsys.readouterr().err.strip()
    assert rc == 1 and err == (f"musicsage demo: the demo's music folder {tmp_path}/a/m: a loop "
                               "of symbolic links (nothing was created)"), err
    assert not lib.exists()
