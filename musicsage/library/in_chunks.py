"""Many values asked about in ``IN (…)`` queries, a chunk of them a query.

SQLite builds before 3.32 (python.org's among them) allow 999 host parameters a statement: one
query naming every id failed with "too many SQL variables" past that (a scan folding more than
999 copies). The removal of missing tracks (:mod:`~musicsage.library.forget`,
:mod:`~musicsage.library.missing_report`), the folding of copies into moves
(:mod:`~musicsage.library.copy_moves`) and the look for unplugged drives
(:mod:`~musicsage.library.gone_roots`) ask in chunks through this loop; a few older queries
(``queries``, ``moves``, ``hash_backfill``, ``tag_cache``) still chunk by hand, 900 at a time.
"""

from __future__ import annotations

from typing import Iterator, Sequence, TypeVar

T = TypeVar("T")

PARAMS_PER_QUERY = 900
"""Values in one ``IN (…)``: under 999, leaving room for a query's other parameters."""


def in_chunks(values: Sequence[T], size: int = PARAMS_PER_QUERY
              ) -> Iterator[tuple[str, list[T]]]:
    """Each chunk of ``values``, in order, with its placeholders (``"?,?,?"``) for ``IN (…)``;
    none for no values (``IN ()`` is no SQL)."""
    for start in range(0, len(values), size):
        chunk = list(values[start:start + size])
        yield ",".join("?" * len(chunk)), chunk
