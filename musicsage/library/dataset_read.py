"""Reading a dataset dir (docs/dataset-dir.md) for ``import``, every check included, without
touching a library: :func:`read_dataset`. Kept apart from the writing half
(:mod:`musicsage.library.dataset`) so that the CLI can run every refusal the files earn before
it makes a new library — a refused first ``import`` left an empty library behind. Its CSV
reader (:func:`read_csv_table`, :func:`read_tracks_csv`, :func:`read_memberships_csv`) is the
one ``train``/``eval --dataset`` read the same files with."""

from __future__ import annotations

import csv
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.dataset_files import check_dataset_folder, dataset_file
from musicsage.library.dataset_features import (
    header_hint, load_features, not_utf8, read_features_json)
from musicsage.library.dataset_rows import TableRows
from musicsage.library.raw_csv import refuse_raw_csv
from musicsage.library.track_ids import ID_LIMIT
from musicsage.text import counted, noun

DATASET_MODEL_ID = "spectral-dataset"
DATASET_MODEL_VERSION = "dataset"

MAX_ROW_ID = ID_LIMIT - 1
"""The largest id kept as the library's (:data:`~musicsage.library.track_ids.ID_LIMIT`: up
to SQLite's 2**63 - 1, "the largest id plus one" overflowed and broke every later import and
scan); a larger one gets a new id, with the import's note."""


def row_id(key: str) -> int | None:
    """The library id a track or playlist id of the dir asks to keep: the id itself when it is
    an integer a row id can be, else None (the import assigns one)."""
    try:
        value = int(key)
    except ValueError:
        return None
    return value if 0 < value <= MAX_ROW_ID else None


def unkept_ids_note(given: list[tuple[str, int]], *, item: str = "row",
                    file: str = "tracks.csv", kind: str = "track") -> str | None:
    """The import's note on the rows of tracks.csv (or the playlists of memberships.csv:
    ``item``, ``file``, ``kind`` "playlist") that got a new id (``given``: each one's id in
    the dir and the id it got) where their id is a whole number — an id the user expects the
    library to keep (docs/dataset-dir.md) —; None when there is none."""
    moved = [(key, new) for key, new in given if key.lstrip("+-").isdecimal()]
    if not moved:
        return None
    n, (key, new) = len(moved), moved[0]
    return (f"{counted(n, item)} of {file} could not keep {noun(n, 'its', 'their')} "
            f"{kind}_id as the library's id (first: {kind}_id {key!r}, now #{new}): a library "
            f"id is a whole number above 0 that no other {kind} has or had")


def lookalike_hint(key: str, known: list[str], file: str = "tracks.csv") -> str:
    """What ends the words on an id of memberships.csv that ``file`` lacks (``key``) when
    ``file`` has one that differs from it only where a reader cannot see it — another Unicode
    form of an accent (a file written on macOS: ``café`` as ``e`` and a combining accent),
    an invisible character (a zero-width space, a byte-order mark), the case, the way a
    number is written (``007``, or ``7.0`` where pandas wrote a column of whole numbers
    with a gap in it as floats) —, naming it and the difference; '' when none does. Ids
    must match exactly, and the refusal named ``'café'`` beside a tracks.csv that shows
    ``café``: it read as a bug."""
    wanted, number = _loose_id(key), _number(key)
    near = next((k for k in known if _loose_id(k) == wanted), None)
    if near is None and number is not None:  # "7" beside "007", or pandas' "7.0"
        near = next((k for k in known if _number(k) == number), None)
        if near is not None:
            return (f"; {file} has {near!r} (the same number written another way): ids "
                    "are text and must match exactly")
    if near is None:
        return ""
    return f"; {file} has {near!r} ({_difference(key, near)}): ids must match exactly"


def _difference(key: str, near: str) -> str:
    """How ``key`` differs from ``near``, an id that reads the same once case, Unicode form
    and invisible characters are set aside, in words, the two shown in ASCII where the
    difference cannot be seen. "In another case" alone is said only where case is all that
    differs: of ``'CAFE\u0301'`` beside ``'café'`` it hid the accent written apart."""
    shown = f"{ascii(key)} against {ascii(near)}"
    if unicodedata.normalize("NFC", near) == unicodedata.normalize("NFC", key):
        return f"the same text in another Unicode form: {shown}"
    if _visible(near) == _visible(key):
        return f"the same but for invisible or look-alike characters: {shown}"
    if near.casefold() == key.casefold():
        return "in another case"
    if (unicodedata.normalize("NFC", near).casefold()
            == unicodedata.normalize("NFC", key).casefold()):
        return f"in another case and Unicode form: {shown}"
    return f"in another case and with invisible or look-alike characters: {shown}"


def _number(key: str) -> Decimal | None:
    """The finite number ``key`` writes (``007``, ``7.0``, ``7e0``), or None. Exact: as a
    float, ids above 2**53 that differ in their last digits (``…891`` and ``…890``) were
    called the same number written another way."""
    if not key[:1].isdigit() and key[:1] not in ("+", "-", "."):  # fast: no exception
        return None
    try:
        value = Decimal(key)
    except (ValueError, ArithmeticError):  # not a number; an exponent past Decimal's range
        return None
    return value if value.is_finite() else None


def _visible(key: str) -> str:
    """``key`` as a reader sees it: in one Unicode form (a no-break space a space, ``é`` one
    character), its invisible (format) characters dropped."""
    return "".join(c for c in unicodedata.normalize("NFKC", key)
                   if unicodedata.category(c) != "Cf")


def _loose_id(key: str) -> str:
    """``key`` as :func:`lookalike_hint` compares ids: as seen (:func:`_visible`: ASCII text
    is seen as it is: 300,000 ids of tracks.csv took 1.6 s to compare, now 0.07 s), its
    case folded."""
    return (key if key.isascii() else _visible(key)).casefold()


@dataclass
class CsvTable:
    """A dataset dir's CSV file as read by :func:`read_csv_table`: the header's names, the
    cells of each column (stripped text, as many as there are rows: a short row reads as
    empty cells) and the line of the file each row starts on, for messages that name it."""

    path: Path
    header: list[str]
    columns: list[list[str]]
    lines: list[int]
    """The line of the file each row starts on (the header is line 1 unless blank lines
    precede it): blank lines and values spanning lines make it differ from the row's index."""
    overlong: list[int]
    """Lines of rows with more cells than the header, for a note: their extra cells are left
    out, and even an empty one may be a comma inside an unquoted title that shifted the
    cells after it (``t1,Hello, World,Ann,``: artist 'World'). Empty when every row has the
    same empty cells beyond the header: a writer that ends each line with a comma."""

    def column(self, name: str) -> list[str]:
        """The cells of column ``name`` (the last of that name, as :meth:`rows` keeps it; the
        table's own list, not to be changed)."""
        return self.columns[len(self.header) - 1 - self.header[::-1].index(name)]

    def rows(self) -> TableRows:
        """Every row as a dict from column name to cell (:class:`TableRows`)."""
        return TableRows(self.header, self.columns)

    def refuse_empty(self, column: str) -> None:
        """One line naming the first row whose ``column`` is empty, by its line in the file:
        every track needs an id, and every membership a playlist and a track (a row cut short
        reads as empty cells; an empty playlist_id made a playlist named '')."""
        cells = self.column(column)
        if "" in cells:
            raise MusicsageError(f"{self.path} line {self.lines[cells.index('')]}: empty "
                                 f"{column} (a blank cell, or a row with fewer cells than the "
                                 "header); every row needs one")

    def refuse_duplicates(self, column: str) -> None:
        """One line naming the first id ``column`` lists twice, and the lines of both rows:
        rows of one id cannot both be kept, and the message says where to look."""
        cells = self.column(column)
        if len(set(cells)) == len(cells):
            return
        line_of: dict[str, int] = {}
        for key, line in zip(cells, self.lines):
            if key in line_of:
                raise MusicsageError(f"{self.path}: duplicate {column} {key!r} on lines "
                                     f"{line_of[key]} and {line} (an id that is not unique "
                                     "cannot name one row)")
            line_of[key] = line


def read_csv_table(path: Path, required: tuple[str, ...]) -> CsvTable:
    """A dataset dir's CSV file (UTF-8, a byte-order mark accepted), refused in one line
    naming it — and the line, where one is at fault — when it is empty, lacks a ``required``
    column, is not UTF-8 or not CSV (a quoted value never closed). Cells and names are
    stripped of spaces; blank lines, and lines of nothing but spaces, are skipped.

    The one CSV reader of dataset dirs: ``import`` (:func:`read_dataset`) and ``train``/``eval
    --dataset`` (:meth:`musicsage.graph.data.GraphData.from_dataset_dir`) read through it, so
    one file gets one verdict and means the same rows to both (with pandas, ``train`` refused
    a row longer than the header that ``import`` read, and skipped a line of spaces that
    ``import`` refused as an empty id; both counted lines as rows, so a message after a blank
    line or a value spanning lines named the wrong line). At 28k rows it reads as fast as
    pandas did, its cells stripped included."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh, strict=True)
            header = _read_header(reader, path, required)
            rows, lines, overlong = _rows_by_line(reader, path, len(header))
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    columns = ([list(map(str.strip, column)) for column in zip(*rows)] if rows
               else [[] for _ in header])
    _refuse_header_again(path, header, columns, lines)
    return CsvTable(path, header, columns, lines, overlong)


def _refuse_header_again(path: Path, header: list[str], columns: list[list[str]],
                         lines: list[int]) -> None:
    """Refuse, naming its line, a row that is the header again: two files joined (``cat
    a.csv b.csv``) keep the second one's header as a row, read as a track ``track_id`` (and
    a playlist ``playlist_id`` holding it) that no one made, without a word. The second
    file's byte-order mark (Excel's "CSV UTF-8" starts each file with one) stays in the text,
    before its first name: that header was read as a track ``\ufefftrack_id``."""
    firsts = (header[0], "\ufeff" + header[0]) if header else ()
    for i, first in enumerate(columns[0] if columns else []):
        if first in firsts and all(column[i] == name
                                   for column, name in zip(columns[1:], header[1:])):
            raise MusicsageError(f"{path} line {lines[i]}: the header again "
                                 f"({','.join(header)}), read as a row: were two files joined? "
                                 "remove that line")


def _read_header(reader, path: Path, required: tuple[str, ...]) -> list[str]:
    """The first row that is not blank (nor a line of spaces, skipped as rows are: a line
    of spaces above the header was taken for it, and the file refused as lacking every
    column), its names stripped, refused in one line naming the file when there is none,
    names a column twice, or lacks a ``required`` column (with a hint, where one shows, of
    why: another separator, another case). A quote opened in it and never closed is refused
    as in a row (:func:`_not_csv`), naming the line: it ended in "unexpected error"."""
    start = 1  # the line the row being read starts on
    try:
        for header in reader:
            if not _blank(header):
                break
            start = reader.line_num + 1
        else:
            header = None
    except csv.Error as exc:
        raise _not_csv(path, start, exc) from None
    if header is None:
        raise MusicsageError(f"{path} is empty: missing column(s) {', '.join(required)}; "
                             f"write at least a header row: {','.join(required)}")
    raw, header = header, [name.strip() for name in header]
    repeated = next((n for i, n in enumerate(header) if n and n in header[:i]), None)
    if repeated is not None:  # the last column of the name won, and a row took the blame
        raise MusicsageError(f"{path}: column {repeated!r} appears twice in the header; "
                             "rename or remove one of them")
    missing = [c for c in required if c not in header]
    if missing:
        raise MusicsageError(f"{path}: missing column(s) {', '.join(missing)}"
                             f"{header_hint(header, missing[0], raw)}")
    return header


def _not_csv(path: Path, line: int, exc: csv.Error) -> MusicsageError:
    """The refusal of ``path`` whose row starting on ``line`` the CSV reader could not read
    (``exc``), saying what is wrong with it in the file's terms: the header's and a row's."""
    what = ("a quote opened in this row is never closed (the file ends inside the quoted "
            "value)" if "end of data" in str(exc) else _too_long_value()
            if "field limit" in str(exc) else
            f"not valid CSV ({exc}): a value that starts with a quote must end with one, "
            "any quote inside it doubled")
    return MusicsageError(f"{path} line {line}: {what}")


def _too_long_value() -> str:
    """What is wrong with a row whose value runs past the CSV reader's limit: said as "not
    valid CSV (field larger than field limit (131072))", it named no cause; in a dataset dir
    it is a quote never closed a few lines into a large file (the value takes in the lines
    after it until the limit), or a file that is no CSV table at all."""
    return (f"a value of more than {csv.field_size_limit():,} characters starts in this row: "
            "a quote opened in it and never closed takes in the lines after it (close it, and "
            "double any quote inside a value), or the file is not a CSV table")


def _blank(row: list[str]) -> bool:
    """Whether a CSV ``row`` is a blank line, or one of spaces: skipped (a quoted ``""`` is
    an empty cell, not a blank line)."""
    return not row or (len(row) == 1 and bool(row[0]) and not row[0].strip())


def _rows_by_line(reader, path: Path, width: int
                  ) -> tuple[list[list[str]], list[int], list[int]]:
    """The rows ``reader`` has left, each cut or padded to ``width`` cells, the line each
    starts on and the lines of those with cells beyond ``width`` (:attr:`CsvTable.overlong`);
    a quoted value never closed, or closed before more text, is refused naming the line its
    row starts on."""
    rows: list[list[str]] = []
    lines: list[int] = []
    overlong: list[int] = []
    extras: set[tuple[str, ...]] = set()  # the cells beyond the header, as rows have them
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if _blank(row):
                continue
            extras.add(tuple(cell.strip() for cell in row[width:]))
            if len(row) > width:
                overlong.append(start)
            rows.append(row if len(row) == width else (row + [""] * width)[:width])
            lines.append(start)
    except csv.Error as exc:
        raise _not_csv(path, line + 1, exc) from None
    if len(extras) == 1 and not any(next(iter(extras))):  # every row alike: no shift
        overlong = []
    return rows, lines, overlong


def _read_features(src: Path, keys: list[str]
                   ) -> tuple[np.ndarray | None, str, str, dict | None]:
    """features.npy, checked against tracks.csv's ``keys``, and the model id, version and
    analysis settings features.json names (the dataset defaults, no settings, without one)."""
    n_tracks = len(keys)
    path = dataset_file(src, "features.npy", required=False)
    if path is None:  # a features.json describes no vectors then, but a broken one is refused
        read_features_json(src, keys, None)
        return None, DATASET_MODEL_ID, DATASET_MODEL_VERSION, None
    feats = load_features(path, n_tracks)
    feats = feats.astype(np.float32)  # every value fits: load_features checked them
    info = read_features_json(src, keys, feats)
    if info is None:
        return feats, DATASET_MODEL_ID, DATASET_MODEL_VERSION, None
    model_id, version, analysis = info
    return feats, model_id, version or DATASET_MODEL_VERSION, analysis


def dataset_source(src_dir: str | os.PathLike) -> Path:
    """The absolute dataset dir ``src_dir`` names, refused unless it is a folder holding
    a tracks.csv that can be read (a folder, a broken link or a pipe of that name is named
    as such: :func:`~musicsage.library.dataset_files.file_problem`). Checked before the
    library is opened (``import /typo`` made an empty library first)."""
    P.given_path(src_dir, "the dataset dir", "a folder holding a tracks.csv")
    home = P.home_expanded(src_dir, suffix=" (nothing was imported)")  # ~nouser: refused
    check_dataset_folder(refuse_raw_csv(home), suffix=" (nothing was imported)")
    src = home.resolve()
    dataset_file(src, "tracks.csv", required=True)  # the words train --dataset refuses it in
    return src


@dataclass
class DatasetFiles:
    """A dataset dir as read and checked, before anything is written (:func:`read_dataset`)."""

    src: Path
    rows: Sequence[dict[str, str]]
    keys: list[str]
    memberships: Sequence[dict[str, str]]
    names: dict[str, str]
    features: np.ndarray | None
    model_id: str | None
    version: str | None
    analysis: dict | None
    overlong: list[int]
    """Lines of tracks.csv whose rows had more cells than its header
    (:attr:`CsvTable.overlong`)."""
    membership_lines: list[int]
    """The line of memberships.csv each of :attr:`memberships` starts on (for notes)."""
    has_memberships: bool = True
    """Whether the dir has a memberships.csv (one of a header alone too): without one, a
    re-import removes none of the playlists an earlier import stored; with one, those it
    does not hold."""
    unnamed_lines: tuple[int, ...] = ()
    """Lines of playlists.csv rows with text but no playlist_id, skipped (the import's note:
    :func:`~musicsage.library.dataset_playlists.unnamed_note`)."""


def read_dataset(src_dir: str | os.PathLike) -> DatasetFiles:
    """Read and check every file of the dataset dir ``src_dir``, touching no library: each
    refusal of :func:`import_dataset` that its files earn, which the CLI also runs before it
    makes a new library (a refused first ``import`` left an empty one behind)."""
    src = dataset_source(src_dir)
    tracks = read_tracks_csv(src / "tracks.csv")
    keys = tracks.column("track_id")
    members = dataset_file(src, "memberships.csv", required=False)
    member_table = read_memberships_csv(members) if members is not None else None
    memberships = member_table.rows() if member_table else []
    names, unnamed = _read_playlist_names(dataset_file(src, "playlists.csv", required=False))
    feats, model_id, version, analysis = _read_features(src, keys)
    return DatasetFiles(src, tracks.rows(), keys, memberships, names, feats, model_id, version,
                        analysis, tracks.overlong,
                        member_table.lines if member_table else [], members is not None,
                        unnamed)


def overlong_note(lines: list[int]) -> str:
    """The note on tracks.csv rows longer than its header (``lines``: :attr:`CsvTable.overlong`),
    the same from ``import`` and ``train``/``eval --dataset``: the rows were read, but a comma
    inside an unquoted title moves the artist and album after it into the wrong cells."""
    shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    return (f"{counted(len(lines), 'row')} of tracks.csv {noun(len(lines), 'has', 'have')} more "
            f"cells than its header ({noun(len(lines), 'line', 'lines')} {shown}): the extra "
            "cells were left out; a comma inside an unquoted value shifts the cells after it "
            "(quote a value that holds a comma)")


def read_tracks_csv(path: Path) -> CsvTable:
    """A dataset dir's tracks.csv, refused in one line unless every row has a track_id of
    its own (``import`` and ``train``/``eval --dataset`` both read it here)."""
    table = read_csv_table(path, ("track_id",))
    table.refuse_empty("track_id")
    table.refuse_duplicates("track_id")
    return table


def read_memberships_csv(path: Path) -> CsvTable:
    """A dataset dir's memberships.csv, refused in one line naming the first row without a
    playlist_id or a track_id (``import`` and ``train``/``eval --dataset`` both read it here;
    whether every track_id is in tracks.csv is each one's own rule)."""
    table = read_csv_table(path, ("playlist_id", "track_id"))
    for column in ("playlist_id", "track_id"):
        table.refuse_empty(column)
    return table


def _read_playlist_names(path: Path | None) -> tuple[dict[str, str], tuple[int, ...]]:
    """playlists.csv's ``playlist_id -> name`` (none without the file: ``path`` None) and the
    lines of its rows with text but no playlist_id (``,Late night``, a spreadsheet's
    ``,,total``), skipped — they name no playlist, and were said to be a playlist ``''`` with
    no members; two of them were refused as a duplicate id ``''`` — as its rows of empty
    cells alone are, without a word, as blank lines. A file of ids alone (``playlist_id``,
    read before) names none: each is named by its id. One with other columns but no ``name``
    is refused: headed ``playlist_id,title`` (or ``Name``) it named every playlist by its
    id, said nowhere."""
    if path is None:
        return {}, ()
    table = read_csv_table(path, ("playlist_id",))
    if "name" not in table.header and any(h and h != "playlist_id" for h in table.header):
        raise MusicsageError(f"{path}: missing column(s) name (header: {PLAYLISTS_HEADER})"
                             f"{header_hint(table.header, 'name')}")
    table, unnamed = _without_unnamed(table)
    table.refuse_duplicates("playlist_id")
    return {r["playlist_id"]: r.get("name", "") for r in table.rows()}, unnamed


def _without_unnamed(table: CsvTable) -> tuple[CsvTable, tuple[int, ...]]:
    """playlists.csv's ``table`` less its rows without a playlist_id, and the lines of those
    of them with text (cells beyond the header's count: ``,,total``)."""
    ids, overlong = table.column("playlist_id"), set(table.overlong)
    kept = [i for i, key in enumerate(ids) if key]
    unnamed = tuple(line for i, line in enumerate(table.lines) if not ids[i] and (
        line in overlong or any(column[i] for column in table.columns)))
    columns = [[column[i] for i in kept] for column in table.columns]
    return CsvTable(table.path, table.header, columns, [table.lines[i] for i in kept],
                    table.overlong), unnamed


PLAYLISTS_HEADER = "playlist_id,name"
"""playlists.csv's header, as docs/dataset-dir.md gives it."""
