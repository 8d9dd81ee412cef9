"""SQL for "this stored path is one of these folders or inside one", for any number of folders.

``musicsage scan F1 … F600`` (or ``forget --missing F1 … F600``) crashed with SQLite's
"Expression tree is too large (maximum depth 1000)": the condition was one flat ``OR`` chain,
two levels deeper per folder. :func:`under_sql` nests the chain as a balanced tree (its depth
grows with the logarithm of the count), and :func:`tracks_under` asks in chunks of
:data:`FOLDERS_PER_QUERY` folders, three parameters each, under the 999 host parameters of
SQLite builds older than 3.32.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

FOLDERS_PER_QUERY = 200
"""Folders per query where the count is the user's: 600 parameters, under SQLite's 999."""


def under_sql(column: str, folders: Sequence[str]) -> tuple[str, list]:
    """``(condition, parameters)``: ``column`` (a stored path) is one of ``folders`` or inside
    one — SQL's form of :func:`musicsage.library.paths.is_under`, so that a query reads only
    the rows it needs. No folders: a condition no row meets."""
    parts, params = [], []
    for folder in folders:
        prefix = folder.rstrip("/") + "/"
        parts.append(f"({column} = ? OR substr({column}, 1, ?) = ?)")
        params += [folder, len(prefix), prefix]
    return (_any_of(parts) if parts else "0"), params


def _any_of(parts: Sequence[str]) -> str:
    """``parts`` joined by ``OR`` as a balanced tree: a flat chain of 500 folders' conditions
    passed SQLite's expression depth limit. The text order (so the parameters' order) is
    kept."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return f"({_any_of(parts[:middle])} OR {_any_of(parts[middle:])})"


def folder_chunks(folders: Iterable[str]) -> Iterator[list[str]]:
    """``folders`` in lists of at most :data:`FOLDERS_PER_QUERY`, one query's worth each."""
    folders = list(folders)
    for start in range(0, len(folders), FOLDERS_PER_QUERY):
        yield folders[start:start + FOLDERS_PER_QUERY]


def tracks_under(conn: sqlite3.Connection, roots: Iterable[str]) -> dict[str, tuple]:
    """Existing tracks whose path is one of ``roots`` or inside one: path → (id, size, mtime_ns,
    status); any number of roots (one query per :func:`folder_chunks` chunk)."""
    found: dict[str, tuple] = {}
    for chunk in folder_chunks(roots):
        where, params = under_sql("path", chunk)
        found.update((r[1], (r[0], r[2], r[3], r[4])) for r in conn.execute(
            f"SELECT id, path, size, mtime_ns, status FROM tracks WHERE {where}", params))
    return found
