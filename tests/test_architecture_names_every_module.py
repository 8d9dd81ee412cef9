"""docs/architecture.md is the map of the package: a module it does not name is one a new
reader cannot find the purpose of (31 were missing, among them whole parts of the library
package and the map's drawing). Every module under ``musicsage/`` is named there, in
backquotes, by its file name or a path ending in it (``db.py``, ``playlists/remove.py``)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_architecture_names_every_module():
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([A-Za-z0-9_/.]+\.py)(?:::\w+)?`", doc))
    package = REPO / "musicsage"
    missing = [rel for rel in sorted(p.relative_to(package).as_posix()
                                     for p in package.rglob("*.py"))
               if not rel.endswith("__init__.py")
               and not any(rel == n or rel.endswith("/" + n) or n.endswith("/" + rel)
                           or n == rel.rsplit("/", 1)[-1] for n in named)]
    assert missing == [], f"docs/architecture.md's package table lacks: {missing}"
