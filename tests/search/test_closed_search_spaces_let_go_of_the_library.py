"""The window closes its search spaces as it closes, and those of a library it leaves for
another (:meth:`SearchSpaces.close`): their own connection to the library, kept for the change
stamp, was the one left open, and SQLite removes the library's -wal and -shm files only when
the last connection closes. A thread still asking afterwards gets its answer, through its own
connection, never a closed one's error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from musicsage.library.db import close_thread_connections
from musicsage.usecases.spaces import SearchSpaces
from search_helpers import clustered_vectors


@pytest.fixture
def lib(library):
    library.add(12)
    library.vectors = clustered_vectors(12, clusters=3)
    library.embed(library.vectors)
    return library


def beside(ctx) -> list[str]:
    return sorted(p.name for p in Path(ctx.db_path).parent.iterdir()
                  if p.name.endswith(("-wal", "-shm")))


def test_closed_spaces_leave_nothing_beside_the_library(ctx, lib):
    spaces = SearchSpaces(ctx)
    assert spaces.stamp() is not None and spaces.get("audio") is not None
    close_thread_connections()  # this thread's, as a worker thread's end closes them
    spaces.close()
    assert beside(ctx) == []


def test_a_thread_asking_after_the_close_still_gets_its_answer(ctx, lib):
    spaces = SearchSpaces(ctx)
    kept = spaces.get("audio")
    spaces.close()
    got: list = []

    def click() -> None:
        try:
            got.append(spaces.get("audio"))
            got.append(spaces.stamp())
        except Exception as exc:  # noqa: BLE001 - the failure under test
            got.append(exc)
        finally:
            close_thread_connections()

    worker = threading.Thread(target=click)
    worker.start()
    worker.join()
    assert got[0].track_ids.tolist() == kept.track_ids.tolist()
    assert got[1] is None  # no stamp: the window asks again later, it reloads nothing
    close_thread_connections()
    assert beside(ctx) == []
