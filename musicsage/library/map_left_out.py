"""Why each of many tracks left off a map has no vector, in one query: the last scan could not
read its file, or its analysis failed since the file changed.

``map``'s note on the tracks it leaves out (:mod:`musicsage.commands.map_notes`) asked
:func:`~musicsage.library.queries.read_failure` once per track (~2 s for 90,000 tracks left
out); this asks the same of all of them at once, by the same rule.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence

from musicsage.library.in_chunks import in_chunks
from musicsage.library.paths import is_file_path
from musicsage.library.under_paths import has_json1

_FAILURES_SQL = (
    "SELECT e.path, e.stage, e.message FROM errors e LEFT JOIN tracks t ON t.path = e.path"
    " WHERE e.path IN ({paths}) AND (e.stage = 'scan'"
    " OR (e.stage = ? AND e.created_at >= COALESCE(t.updated_at, '')))"
    " ORDER BY e.created_at, e.id")
""":func:`~musicsage.library.queries.read_failure`'s rule for many paths, oldest first: the
last row read for a path is its newest failure, the one ``read_failure`` answers."""


def failed_reads(conn: sqlite3.Connection, tracks: Sequence[Mapping],
                 model_id: str | None) -> list[sqlite3.Row | None]:
    """For each of ``tracks`` (rows with ``path`` and ``status``), in order, why an embed
    would give it no ``model_id`` vector, as ``read_failure`` says it of one path (a row with
    ``stage`` and ``message``), or None: None too for one an embed does not analyse (missing,
    or imported without a file), whose note says why otherwise. One query for all of them
    (in chunks of 900 paths where this SQLite has no JSON functions)."""
    paths = [str(t.get("path") or "") for t in tracks]
    asked = [p for p, t in zip(paths, tracks)
             if t.get("status") == "present" and is_file_path(p)]
    newest: dict[str, sqlite3.Row] = {}
    stage = f"embed:{model_id}"
    if asked and has_json1():  # as JSON SQLite reads back as the same strings
        chunks = [("SELECT value FROM json_each(?)", [json.dumps(asked, ensure_ascii=False)])]
    else:
        chunks = list(in_chunks(list(dict.fromkeys(asked))))
    for marks, chunk in chunks:
        for row in conn.execute(_FAILURES_SQL.format(paths=marks), [*chunk, stage]):
            newest[row["path"]] = row  # oldest first: the newest stays
    return [newest.get(p) for p in paths]
