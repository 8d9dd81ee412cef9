"""A library two users share (a group- or world-writable folder): the index key is one user's
(mode 0600). The other user took a key they may not read for a damaged one and replaced it,
so each of them distrusted, rebuilt (9 s at 28k tracks of 128-d vectors) and overwrote the
other's index on every command. The other user now keeps a key and an index of their own in
their spare folder, and leaves the first user's key and index exactly as they were."""

from __future__ import annotations

import builtins
import errno
import io
import os

import pytest

import musicsage.search.index as search_index
import musicsage.search.index_key as index_key_module
from musicsage.search.index import INDEX_FILE, META_FILE
from musicsage.usecases.graph_vectors import spare_space_directory
from musicsage.usecases.spaces import SearchSpaces

from index_support import library  # noqa: F401  (the fixture)

OTHER_USER = 54321


def _a_command(ctx, monkeypatch) -> "search_index.SpaceIndex":
    """What one `similar` does, in a process of its own (no key held in memory)."""
    monkeypatch.setattr(index_key_module, "_session_keys", {})
    space = SearchSpaces(ctx).get("audio")
    assert not isinstance(space, str), space
    assert len(space.neighbours(int(space.track_ids[0]), 5)) == 5
    return space


def _make_unreadable(path, monkeypatch) -> None:
    """Every ``open`` of ``path`` fails as it does for a user who may not read it (the tests
    run as root, who may)."""
    real_open = io.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)


@pytest.mark.parametrize("theirs", ["unreadable", "owned by another user"])
def test_another_users_key_and_index_are_left_alone(library, monkeypatch, theirs):
    ctx = library
    own = ctx.search_dir / "audio"
    assert _a_command(ctx, monkeypatch).status == "built"  # the first user's key and index
    key_file = ctx.data_dir / index_key_module.KEY_FILE
    before = {p: p.read_bytes() for p in (key_file, own / INDEX_FILE, own / META_FILE)}

    with monkeypatch.context() as other_user:
        if theirs == "unreadable":
            _make_unreadable(key_file.absolute(), other_user)
        else:
            if not hasattr(os, "getuid") or os.getuid() != 0:
                pytest.skip("giving a file to another user needs root")
            os.chown(key_file, OTHER_USER, -1)
        first = _a_command(ctx, other_user)
        again = _a_command(ctx, other_user)
        if theirs != "unreadable":
            os.chown(key_file, os.getuid(), -1)

    spare = spare_space_directory(ctx, "audio")
    assert first.status == "built" and first.kept_in == spare
    assert again.status == "loaded" and again.kept_in == spare  # no rebuild on each command
    assert {p: p.read_bytes() for p in before} == before  # their key and index untouched
    assert (ctx.spare_cache_dir / index_key_module.KEY_FILE).is_file()

    back = _a_command(ctx, monkeypatch)  # the first user still trusts their own index
    assert back.status == "loaded" and back.kept_in == own
