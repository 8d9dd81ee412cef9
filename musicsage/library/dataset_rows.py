"""The rows of a dataset dir's CSV file as :mod:`musicsage.library.dataset_read` holds them
(:class:`TableRows`): its columns, each row's dict made when reached — a list of dicts cost
the import of a large dir tens of MB more at its peak — yet read, compared and shown as that
list of dicts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


class TableRows(Sequence[dict[str, str]]):
    """The rows of a :class:`~musicsage.library.dataset_read.CsvTable`, each a dict from
    column name to cell (the last column of a name), made when reached: held as dicts, the
    rows of a 200,000-track dataset dir cost the import about 50 MB more at its peak (272 MB
    against 223 MB measured) than the columns they come from. A row is a fresh dict each
    read: changing it changes neither the table nor the row read next. Equal to a list of the
    same dicts, or to other such rows, and shown as that list (a failing assertion shows the
    rows)."""

    def __init__(self, header: list[str], columns: list[list[str]]) -> None:
        self._header, self._columns = header, columns

    def __len__(self) -> int:
        return len(self._columns[0]) if self._columns else 0

    def __getitem__(self, index):  # an int gives a row, a slice a list of rows
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return dict(zip(self._header, [column[index] for column in self._columns]))

    def __iter__(self) -> Iterator[dict[str, str]]:
        return (dict(zip(self._header, row)) for row in zip(*self._columns))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, TableRows)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(list(self))
