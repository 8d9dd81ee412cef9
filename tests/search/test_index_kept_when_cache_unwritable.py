"""A library whose cache folder cannot be written (a read-only library or mount; here a file
in the way of ``cache/search``): the neighbour index was saved nowhere, so every `similar`
built it again (1.5 s at 28k tracks of 12-d vectors, 9 s at 128-d). It is kept in the spare
folder the maps fall back to, and loaded from there by the next command — also where the
library has no index key stored (its own key kept in the spare folder too, or no later
command trusted the index). A valid index in the library's own folder is still loaded once
that folder cannot be written (it was rebuilt in the spare folder: 9 s at 128-d × 28k)."""

from __future__ import annotations

import errno
import os
import stat


import musicsage.search.index_key as index_key_module

import musicsage.search.index as search_index
from musicsage.search.index import INDEX_FILE, META_FILE
from musicsage.usecases.graph_vectors import spare_space_directory
from musicsage.usecases.spaces import SearchSpaces

from index_support import library  # noqa: F401  (the fixture)


def _a_command(ctx) -> "search_index.SpaceIndex":
    """What one `similar` does: spaces of its own, one neighbour lookup."""
    space = SearchSpaces(ctx).get("audio")
    assert not isinstance(space, str), space
    assert len(space.neighbours(int(space.track_ids[0]), 5)) == 5
    return space


def test_an_index_that_cannot_be_kept_in_the_cache_is_kept_in_the_spare_folder(library):
    ctx = library
    ctx.search_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.search_dir.write_text("not a folder")  # in the way of cache/search

    first = _a_command(ctx)
    assert first.status == "built"
    spare = spare_space_directory(ctx, "audio")
    assert (spare / INDEX_FILE).is_file() and (spare / META_FILE).is_file()

    again = _a_command(ctx)  # the next command loads it: no rebuild
    assert again.status == "loaded" and again.kept_in == spare
    assert ctx.search_dir.read_text() == "not a folder"  # the file in the way is left alone


def test_a_writable_cache_keeps_the_index_in_its_own_folder(library):
    ctx = library
    assert _a_command(ctx).kept_in == ctx.search_dir / "audio"
    assert _a_command(ctx).status == "loaded"
    assert not spare_space_directory(ctx, "audio").exists()


def test_a_library_that_cannot_store_its_key_keeps_it_in_the_spare_folder(library,
                                                                           monkeypatch):
    ctx = library
    ctx.search_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.search_dir.write_text("not a folder")  # in the way of cache/search
    (ctx.data_dir / index_key_module.KEY_FILE).mkdir()  # the key cannot be stored there

    assert _a_command(ctx).status == "built"
    kept = ctx.spare_cache_dir / index_key_module.KEY_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    for _command in range(2):  # later processes: no key held in memory, the same kept
        monkeypatch.setattr(index_key_module, "_session_keys", {})
        assert _a_command(ctx).status == "loaded"


def test_a_valid_index_in_a_folder_no_longer_writable_is_loaded(library, monkeypatch):
    ctx = library
    own = ctx.search_dir / "audio"
    assert _a_command(ctx).status == "built"
    real_open = os.open

    def read_only_mount(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and os.path.dirname(os.path.abspath(path)) == str(own):
            raise OSError(errno.EROFS, "Read-only file system", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_mount)
    again = _a_command(ctx)
    assert again.status == "loaded" and again.kept_in == own
    assert not spare_space_directory(ctx, "audio").exists()


def test_a_key_others_could_have_written_in_the_spare_folder_is_not_trusted(ctx):
    (ctx.data_dir / index_key_module.KEY_FILE).mkdir(parents=True)  # cannot be stored there
    planted = ctx.spare_cache_dir / index_key_module.KEY_FILE
    planted.parent.mkdir(parents=True)
    planted.write_bytes(b"k" * 32)
    planted.chmod(0o644)  # readable by others: whoever knows it can make a trusted index

    key = index_key_module.index_key(ctx.data_dir, ctx.spare_cache_dir)
    assert len(key) == 32 and key != b"k" * 32
    assert planted.read_bytes() == key and stat.S_IMODE(planted.stat().st_mode) == 0o600
