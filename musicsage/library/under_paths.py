"""SQL for "this stored path is one of these folders or inside one", for any number of folders.

``musicsage scan F1 … F600`` (or ``forget --missing F1 … F600``) crashed: first with SQLite's
"Expression tree is too large" (one ``OR`` per folder), then, where a build allows 999 host
parameters (SQLite before 3.32, python.org's), with "too many SQL variables" (three per
folder). :func:`under_sql` passes any number of folders in three parameters, JSON lists read
by ``json_each``, so that every caller (scan, forget, the hash backfill) takes any count.
An SQLite built without JSON1 gets the older form: a balanced ``OR`` tree, three parameters a
folder, that :func:`tracks_under` asks in chunks of :data:`FOLDERS_PER_QUERY`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from functools import cache

FOLDERS_PER_QUERY = 300
"""Folders per query without JSON1: 900 parameters, under the 999 of SQLite before 3.32."""


@cache
def has_json1() -> bool:
    """This process's SQLite has the JSON functions (built in since 3.38, optional before:
    without them ``json_each`` is "no such table" and a scan of two folders crashed)."""
    with closing(sqlite3.connect(":memory:")) as conn:
        try:
            conn.execute("SELECT json('[]')")
        except sqlite3.OperationalError:
            return False
    return True


def under_sql(column: str, folders: Sequence[str]) -> tuple[str, list]:
    """``(condition, parameters)``: ``column`` (a stored path) is one of ``folders`` or inside
    one — SQL's form of :func:`musicsage.library.paths.is_under`, so that a query reads only
    the rows it needs. No folders: a condition no row meets. One folder (the common case)
    keeps the plain form, the fastest; more go as three JSON parameters however many: the
    folders, their prefixes (``folder/``) and the prefixes' lengths. Each ``IN`` list is read
    once per query; only the short list of lengths is read again for each row (a correlated
    ``json_each`` of 600 folders per row took 6.6 s on 28,000 tracks; this, 40 ms)."""
    folders = list(folders)
    if not folders:
        return "0", []
    if len(folders) == 1 or not has_json1():
        return _any_of(column, folders)
    prefixes = sorted({folder.rstrip("/") + "/" for folder in folders})
    lengths = sorted({len(prefix) for prefix in prefixes})
    return (f"({column} IN (SELECT value FROM json_each(?)) OR EXISTS (SELECT 1 FROM "
            f"(SELECT value AS length_ FROM json_each(?)) WHERE substr({column}, 1, length_) "
            "IN (SELECT value FROM json_each(?))))",
            [_json(folders), json.dumps(lengths), _json(prefixes)])


def _any_of(column: str, folders: Sequence[str]) -> tuple[str, list]:
    """The plain form, three parameters a folder; several are joined by ``OR`` as a balanced
    tree (a flat chain of 500 folders passed SQLite's expression depth limit)."""
    if len(folders) > 1:
        middle = len(folders) // 2
        (left, left_params), (right, right_params) = (_any_of(column, folders[:middle]),
                                                      _any_of(column, folders[middle:]))
        return f"({left} OR {right})", left_params + right_params
    prefix = folders[0].rstrip("/") + "/"
    return f"({column} = ? OR substr({column}, 1, ?) = ?)", [folders[0], len(prefix), prefix]


def _json(texts: list[str]) -> str:
    """``texts`` as a JSON list SQLite reads back as the same strings."""
    return json.dumps(texts, ensure_ascii=False)


def tracks_under(conn: sqlite3.Connection, roots: Iterable[str]) -> dict[str, tuple]:
    """Existing tracks whose path is one of ``roots`` or inside one: path → (id, size, mtime_ns,
    status); any number of roots, in one query (without JSON1: one per
    :data:`FOLDERS_PER_QUERY` of them)."""
    roots = list(roots)
    step = max(len(roots), 1) if has_json1() else FOLDERS_PER_QUERY
    found: dict[str, tuple] = {}
    for start in range(0, len(roots), step):
        where, params = under_sql("path", roots[start:start + step])
        found.update((r[1], (r[0], r[2], r[3], r[4])) for r in conn.execute(
            f"SELECT id, path, size, mtime_ns, status FROM tracks WHERE {where}", params))
    return found


def any_track_under(conn: sqlite3.Connection, folder: str, *, present: bool = False) -> bool:
    """Whether a track of the library is ``folder`` (DB form) or lies inside it; ``present``:
    a present one. One indexed query (the watch asks it of single paths)."""
    where, params = under_sql("path", [folder])
    status = " AND status = 'present'" if present else ""
    return conn.execute(f"SELECT 1 FROM tracks WHERE {where}{status} LIMIT 1",
                        params).fetchone() is not None
