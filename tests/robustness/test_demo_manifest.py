"""Issue 16 item 1: a demo folder's manifest never makes `musicsage demo` delete files outside it."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from robust_support import (StringCapture, assert_clean_success, assert_one_line_failure, cli,
                            cli_in_process, tree_snapshot)

from musicsage.demo.manifest import MANIFEST
from musicsage.demo.state import state_path

SMALL = ("--tracks", "8", "--seconds", "1", "--until", "generate")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """``demo_template/demo``: the small demo (seed 0) that ``demo --data-dir
    demo_template/data`` generates; generated once, copied per test."""
    root = tmp_path_factory.mktemp("demo-template")
    with StringCapture() as capture:
        assert_clean_success(cli_in_process(capture, "demo", str(root / "demo"), *SMALL,
                                            "--seed", "0", data_dir=root / "data"))
    return root


@pytest.fixture
def demo(demo_template, tmp_path):
    """A small generated demo (seed 0) and a folder of the user's own files beside it. The
    demo is a copy of :func:`demo_template`'s; its manifest (the library it is for) and the
    library's demo state (its music folder) name the copy, as a generation here would."""
    music, data = tmp_path / "demo", tmp_path / "data"
    shutil.copytree(demo_template / "demo", music, symlinks=True)
    shutil.copytree(demo_template / "data", data, symlinks=True)
    for path in (music / MANIFEST, state_path(data)):
        text = path.read_text(encoding="utf-8")
        assert str(demo_template) in text
        path.write_text(text.replace(str(demo_template), str(tmp_path)), encoding="utf-8")
    own = tmp_path / "own"
    own.mkdir()
    (own / "keep.flac").write_bytes(b"the user's own recording")
    (own / "notes.txt").write_text("not the demo's")
    return music, data, own


def edit_manifest(music, change) -> None:
    path = music / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(change(manifest)), encoding="utf-8")


@pytest.mark.parametrize("outside", ["relative", "absolute"])
def test_manifest_naming_files_outside_is_refused_and_nothing_is_deleted(demo, capfd,
                                                                         outside):
    """One case runs the real command in a child process (its exit code and line); the
    others here run the CLI's main in this process (cli_in_process)."""
    music, data, own = demo
    name = "../own/keep.flac" if outside == "relative" else str(own / "keep.flac")
    edit_manifest(music, lambda m: {**m, "files": m["files"] + [name]})
    before_demo, before_own = tree_snapshot(music), tree_snapshot(own)

    # another seed: the old demo would be cleared first
    args = ("demo", str(music), *SMALL, "--seed", "1")
    proc = (cli(*args, data_dir=data) if outside == "relative"
            else cli_in_process(capfd, *args, data_dir=data))
    assert_one_line_failure(proc, "demo", "not a file inside the demo folder", "nothing was deleted")
    assert tree_snapshot(own) == before_own
    assert tree_snapshot(music) == before_demo  # refused before touching anything


@pytest.mark.parametrize("manifest, reason", [
    ([], "a JSON list, expected an object"),
    ({"files": []}, "no 'fingerprint'"),
    ({"fingerprint": "x", "files": "a.flac"}, "'files' is not a list"),
    ({"fingerprint": "x", "files": [1, 2]}, "'files' is not a list"),
])
def test_manifest_of_the_wrong_shape_is_refused_in_one_line(demo, capfd, manifest, reason):
    music, data, own = demo
    (music / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    before = tree_snapshot(music.parent)
    proc = cli_in_process(capfd, "demo", str(music), *SMALL, "--seed", "1", data_dir=data)
    assert_one_line_failure(proc, "demo", "not a musicsage demo manifest", reason)
    assert tree_snapshot(music.parent) == before


def test_clearing_an_old_demo_follows_no_symlink_out(demo, capfd):
    """A listed file that is now a link, or lies in a folder that is now a link to the
    user's files: the link is left, its target untouched; the demo's real files go."""
    music, data, own = demo
    files = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    tracks = [f for f in files if not f.startswith("Playlists/")]
    linked_file, in_linked_folder = tracks[0], tracks[-1]
    # 1. a listed track replaced by a link to the user's file
    (music / linked_file).unlink()
    os.symlink(own / "keep.flac", music / linked_file)
    # 2. a listed track's folder replaced by a link to a folder of the user's, holding a file
    #    of the same name
    folder = (music / in_linked_folder).parent
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    theirs = own / "album"
    theirs.mkdir()
    (theirs / os.path.basename(in_linked_folder)).write_bytes(b"their file, same name")
    (theirs / ".draft.part").write_bytes(b"named like the demo's temporary files")
    os.symlink(theirs, folder)
    before_own = tree_snapshot(own)

    proc = cli_in_process(capfd, "demo", str(music), *SMALL, "--seed", "1", data_dir=data)
    assert_clean_success(proc)
    assert tree_snapshot(own) == before_own
    assert os.path.islink(music / linked_file) and os.path.islink(folder)
    new = json.loads((music / MANIFEST).read_text(encoding="utf-8"))
    assert new["seed"] == 1 and new["complete"] is True
    old_regular = [f for f in tracks if f not in (linked_file, in_linked_folder)
                   and f not in new["files"]]
    assert old_regular and not any((music / f).exists() for f in old_regular)
