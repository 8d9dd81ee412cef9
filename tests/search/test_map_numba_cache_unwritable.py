"""The map's compiled-code cache (numba's, in the user cache folder) that could not be made —
a read-only or full disk, a file where its folder goes, a NUMBA_CACHE_DIR that leads
nowhere — failed the whole map: `musicsage map: Not a directory: …`, and the window's map
said the same. The cache only saves compile time: the map is made all the same, the cache
kept in a per-user temporary folder instead — private, and reused by every process (one that
others can write into, or another user's, is never taken: it may hold planted code)."""

from __future__ import annotations

import os
import sys
import tempfile

from search_helpers import clustered_vectors

from musicsage import cli


def test_a_cache_folder_that_cannot_be_made_does_not_stop_the_map(capsys, ctx, library,
                                                                   monkeypatch, tmp_path):
    if "numba" in sys.modules:  # what the test changes there is put back after it
        monkeypatch.setattr(sys.modules["numba"].config, "CACHE_DIR",
                            sys.modules["numba"].config.CACHE_DIR)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(in_the_way / "numba"))
    library.add(10)
    library.embed(clustered_vectors(10, clusters=2))

    assert cli.main(["map", "--space", "audio", "--data-dir", str(ctx.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "10 tracks mapped" in out and "Not a directory" not in err
    assert os.environ["NUMBA_CACHE_DIR"].startswith(str(tmp_path / "tmp"))
    assert os.path.isdir(os.environ["NUMBA_CACHE_DIR"]) and in_the_way.read_text() == "not a folder"


def spare_for_an_unwritable_cache(tmp_path, monkeypatch):
    """What :func:`configure_numba_cache` chooses when the wanted folder is a file's child."""
    from musicsage.search import umap_runtime

    (tmp_path / "in-the-way").write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    if "numba" in sys.modules:
        monkeypatch.setattr(sys.modules["numba"].config, "CACHE_DIR",
                            sys.modules["numba"].config.CACHE_DIR)
    return str(umap_runtime.configure_numba_cache(tmp_path / "in-the-way" / "numba"))


def predictable(tmp_path) -> str:
    return str(tmp_path / "tmp" / f"musicsage-numba-{os.getuid()}")


def test_the_per_user_spare_folder_is_private(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    chosen = spare_for_an_unwritable_cache(tmp_path, monkeypatch)
    assert chosen == predictable(tmp_path)
    assert os.stat(chosen).st_mode & 0o077 == 0  # nobody else reads or writes compiled code


def test_a_spare_folder_of_another_user_is_not_used(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    may_give_away = os.geteuid() == 0
    if not may_give_away:  # the folder made below is this user's: the app runs as another
        monkeypatch.setattr(os, "getuid", lambda uid=os.getuid(): uid + 1)
    planted = predictable(tmp_path)
    os.mkdir(planted)
    os.chmod(planted, 0o777)  # made first by another user, open to all: files planted in it
    if may_give_away:
        os.chown(planted, os.getuid() + 4242, -1)
    chosen = spare_for_an_unwritable_cache(tmp_path, monkeypatch)
    assert chosen != planted and os.path.isdir(chosen)
    assert chosen.startswith(str(tmp_path / "tmp")) and os.stat(chosen).st_mode & 0o077 == 0
    assert os.environ["NUMBA_CACHE_DIR"] == chosen
    assert os.stat(planted).st_mode & 0o777 == 0o777  # another user's folder is left as it is


def test_a_spare_folder_others_can_write_into_is_not_used(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    open_to_group = predictable(tmp_path)
    os.mkdir(open_to_group)
    os.chmod(open_to_group, 0o775)  # this user's, but its group could have planted files in it
    planted = os.path.join(open_to_group, "planted.nbc")
    with open(planted, "w") as file:
        file.write("pickled code")
    chosen = spare_for_an_unwritable_cache(tmp_path, monkeypatch)
    assert chosen != open_to_group and os.path.isdir(chosen)
    assert chosen.startswith(str(tmp_path / "tmp")) and os.stat(chosen).st_mode & 0o077 == 0
    assert os.environ["NUMBA_CACHE_DIR"] == chosen
    assert os.stat(open_to_group).st_mode & 0o777 == 0o775  # refused, not made private
    assert os.path.exists(planted)  # what is in it is left alone


def test_a_link_at_the_spare_folders_name_is_not_followed(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    os.symlink(elsewhere, predictable(tmp_path))
    chosen = spare_for_an_unwritable_cache(tmp_path, monkeypatch)
    assert chosen != predictable(tmp_path) and not chosen.startswith(str(elsewhere))
    assert os.path.realpath(chosen) != str(elsewhere)
