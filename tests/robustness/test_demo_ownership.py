"""`musicsage demo` never changes another library's demo folder, and a refused `demo`
creates nothing in the data dir (no cache/, no demo-state.json)."""

from __future__ import annotations

import json

import pytest
from robust_support import assert_clean_success, assert_one_line_failure, cli, tree_snapshot

from musicsage.demo.library import generate_demo
from musicsage.demo.manifest import MANIFEST, ForeignDemo

SMALL = ("--tracks", "8", "--seconds", "1", "--until", "generate")


@pytest.fixture(scope="module")
def library_a(tmp_path_factory):
    """A library whose demo music is in its default folder, A/demo-music."""
    data = tmp_path_factory.mktemp("owner") / "A"
    assert_clean_success(cli("demo", *SMALL, data_dir=data))
    return data


@pytest.mark.parametrize("manifest", ["names its library", "older, names none"])
@pytest.mark.parametrize("settings", [("--tracks", "10", "--seed", "1"), ()],
                         ids=["other settings", "same settings"])
def test_another_librarys_demo_folder_is_refused_untouched(library_a, tmp_path, manifest,
                                                           settings):
    music = library_a / "demo-music"
    path = music / MANIFEST
    saved = path.read_text(encoding="utf-8")
    if manifest != "names its library":  # as written before manifests named their library
        data = json.loads(saved)
        assert data.pop("library") == str(library_a)
        path.write_text(json.dumps(data), encoding="utf-8")
    before = tree_snapshot(library_a)
    other = tmp_path / "B"
    try:
        proc = cli("demo", str(music), *SMALL, *settings, data_dir=other)
    finally:
        after = tree_snapshot(library_a)
        path.write_text(saved, encoding="utf-8")
    assert_one_line_failure(proc, "demo", f"demo music of the library at {library_a}",
                            "nothing was changed", "new folder")
    assert after == before, "the other library's files must stay as they were"
    assert not other.exists(), "a refused demo creates nothing"


def test_generator_alone_refuses_a_librarys_demo_folder(library_a):
    music = library_a / "demo-music"
    before = tree_snapshot(music)
    with pytest.raises(ForeignDemo, match="demo music of the library at"):
        generate_demo(music, n_tracks=9, seconds=1.0, workers=1)
    assert tree_snapshot(music) == before


@pytest.mark.parametrize("case", ["too few tracks", "own files", "data dir",
                                  "another library's demo"])  # --until dance: a usage error
@pytest.mark.parametrize("data_dir", ["new", "empty"])
def test_refused_demo_creates_nothing_in_the_data_dir(library_a, tmp_path, case, data_dir):
    own = tmp_path / "own"
    own.mkdir()
    (own / "keep.flac").write_bytes(b"the user's own recording")
    data = tmp_path / "data"
    if data_dir == "empty":
        data.mkdir()
    args = {"too few tracks": ["--tracks", "3"],
            "own files": [str(own)], "data dir": [str(data)],
            "another library's demo": [str(library_a / "demo-music")]}[case]
    proc = cli("demo", *args, data_dir=data)
    assert_one_line_failure(proc, "demo")
    if data_dir == "new":
        assert not data.exists()
    else:
        assert list(data.iterdir()) == [], "no cache/, no demo-state.json"
    assert [p.name for p in own.iterdir()] == ["keep.flac"]


def test_a_demo_folder_no_library_claims_any_more_is_reused(tmp_path):
    """The library that made a demo folder was deleted (or moved): refusing the folder for
    it would strand the user with advice to rebuild a library that is gone."""
    import shutil

    music, first = tmp_path / "music", tmp_path / "first"
    assert_clean_success(cli("demo", str(music), *SMALL, data_dir=first))
    shutil.rmtree(first)
    second = tmp_path / "second"
    assert_clean_success(cli("demo", str(music), *SMALL, data_dir=second))
    assert json.loads((music / MANIFEST).read_text(encoding="utf-8"))["library"] == str(second)
