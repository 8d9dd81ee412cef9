"""Plain-text renderings of search results for the terminal (the CLI prints these)."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Mapping, Sequence

from musicsage.search.types import SPACES, RadioResult, SimilarResult, SuggestResult
from musicsage.text import columns, counted, fitted, printable

if TYPE_CHECKING:
    from musicsage.search.query import Candidate


def track_label(row: Mapping) -> str:
    title = row.get("title") or os.path.basename(str(row.get("path") or "")) or f"#{row['track_id']}"
    return f"{row['artist']} - {title}" if row.get("artist") else title


def track_labels(rows: Sequence[Mapping]) -> list[str]:
    """:func:`track_label` of each row of one list, rows that read the same told apart as the
    window's lists do (:func:`~musicsage.library.browse.told_apart`): untagged song.m4a and
    song.mp3 of one folder were two rows "song", both "#34 by audio alone"."""
    from musicsage.library.browse import told_apart

    return told_apart([track_label(r) for r in rows], [str(r.get("path") or "") for r in rows],
                      [int(r["track_id"]) for r in rows])


def _cell(row: Mapping, width: int, label: str) -> str:
    """``' 1 * Artist - Title   0.912'`` in exactly ``width`` terminal columns."""
    mark = "*" if row.get("in_both") else " "
    head = f"{row['rank']:>2} {mark} "
    score = f" {row['score']:.3f}"
    return head + fitted(printable(label), width - len(head) - len(score)) + score


MIN_COLUMN = 36
"""The narrowest column of lists side by side: narrower, a title and a why keep only a
stub, so the lists are printed one after the other (each the terminal's width)."""
WHY_INDENT = 5
"""Where a neighbour's why starts on the line under it: under its title, past rank and mark."""


WHY_SEPARATOR = " \u00b7 "
"""Between the reasons of one why ("in Mix · same artist · #3 by audio alone")."""


def _why_cell(row: Mapping, width: int) -> str:
    """The row's why (``why.text``), under its title in ``width`` columns; "" for a row
    without one. Too long, it keeps the whole reasons that fit and ends with "…" (``--json``
    has it whole): cut mid-reason it read "#3 b…" or "tags:…", which says nothing."""
    text = printable((row.get("why") or {}).get("text") or "")
    if not text:
        return ""
    return " " * WHY_INDENT + fitted(_whole_reasons(text, width - WHY_INDENT), width - WHY_INDENT)


def _whole_reasons(text: str, room: int) -> str:
    """``text`` cut to ``room`` columns after a whole reason or list item (a playlist, a
    tag), with " …"; else after a whole word; a word is cut (by
    :func:`~musicsage.text.fitted`) only when not one fits."""
    if columns(text) <= room:
        return text
    for pattern in (r" \u00b7 |, ", r" "):
        for m in reversed(list(re.finditer(pattern, text))):
            for end in (" \u2026", "\u2026"):
                kept = text[:m.start()].rstrip(" :") + end
                if columns(kept) <= room:
                    return kept
    return text


def format_similar(result: SimilarResult, *, width: int = 100) -> str:
    """The neighbour lists; two side by side when both spaces have one (``*`` = in both)."""
    q = result.query
    head = (f"Similar to #{q['track_id']}: {track_label(q)}"
            + ("  [missing file]" if q.get("status") == "missing" else ""))
    return _joined(_lists(result, head, width))  # copies left out: format_notes


def format_notes(result: SimilarResult | SuggestResult) -> str:
    """Why a space has no list, or what its list left out (``graph: no trained graph model
    yet …``, missing files, copies of the query): notes, which the command prints on stderr,
    so that ``similar X > list.txt`` holds the list alone; "" when there are none."""
    of = "its tracks" if isinstance(result, SuggestResult) else "the query"
    return _joined([f"{name}: {note}" for name, note in result.notes.items()
                    if not note.endswith("not requested")]
                   + [f"{name}: {counted(count, 'missing file')} left out"
                      for name, count in result.skipped_missing.items()]
                   + _copies_line(result, of))


def format_suggestions(result: SuggestResult, *, width: int = 100) -> str:
    """Suggestions for a playlist, laid out like :func:`format_similar`."""
    p = result.playlist
    head = (f"Suggestions for playlist #{p['playlist_id']}: {p['name']} "
            f"({counted(p['tracks'], 'track')}{', one per artist' if result.variety else ''})")
    return _joined(_lists(result, head, width))  # copies left out: format_notes


def _joined(lines: Sequence[str]) -> str:
    """The lines as one text, each with the control characters of titles, names and paths
    (from users' files) written visibly, so none reaches the terminal raw."""
    return "\n".join(map(printable, lines))


def _copies_line(result: SimilarResult | SuggestResult, of: str) -> list[str]:
    """Name the copies left out, so a duplicate the user knows of is not silently missing."""
    folded = result.folded_ids
    return [f"copies of {of} left out: {', '.join(f'#{t}' for t in folded)}"] if folded else []


def format_radio(result: RadioResult) -> str:
    """The seed, then the queue, one numbered line each with its score (the cosine to the
    track it was picked from, as ``similar`` shows it: three decimals, a negative one with its
    sign, in one column) — the list showed none."""
    lines = [f"Radio from #{result.seed['track_id']}: {track_label(result.seed)} "
             f"({result.mode}, {result.space} space)"]
    lines += [f"{row['position']:>3}  {_radio_score(row)}{label}  (#{row['track_id']})"
              for row, label in zip(result.tracks, track_labels(result.tracks))]
    return _joined(lines)  # result.note: the command prints it on stderr


def _radio_score(row: dict) -> str:
    """A radio row's score column ("" for a row without one)."""
    score = row.get("score")
    return f"{float(score):6.3f}  " if score is not None else ""


def _lists(result: SimilarResult | SuggestResult, head: str, width: int) -> list[str]:
    lines = [head]
    shown = [(name, result.rows(name)) for name in SPACES if result.rows(name)]
    labels = {name: dict(zip(map(id, rows), track_labels(rows))) for name, rows in shown}
    models = result.models

    def header(name: str) -> str:
        model = models.get(name)
        return f"{name} ({model})" if model else name

    if len(shown) == 2 and width >= 2 * MIN_COLUMN + 3:
        col = (width - 3) // 2
        lines.append(fitted(header("graph"), col) + " | " + fitted(header("audio"), col).rstrip())
        graph, audio = shown[0][1], shown[1][1]
        for i in range(max(len(graph), len(audio))):
            left, right = (graph[i] if i < len(graph) else None,
                           audio[i] if i < len(audio) else None)
            lines.append((_cell(left, col, labels["graph"][id(left)]) if left else " " * col)
                         + " | " + (_cell(right, col, labels["audio"][id(right)]) if right else ""))
            why_left, why_right = (_why_cell(r, col) if r else "" for r in (left, right))
            if why_left or why_right:
                lines.append((why_left or " " * col) + " | " + why_right.rstrip())
        lines.append(f"* = in both lists ({result.in_both})")
    else:
        for name, rows in shown:
            lines.append(header(name))
            for r in rows:
                why = _why_cell(r, width).rstrip()
                cell = _cell(r, width, labels[name][id(r)])
                lines += [cell, why] if why else [cell]
        if len(shown) == 2:  # too narrow for two columns: one list under the other
            lines.append(f"* = in both lists ({result.in_both})")
    return lines  # result.notes, missing files left out: format_notes, for stderr


def format_candidates(candidates: Sequence[Candidate], total: int) -> str:
    """One line per candidate of an ambiguous query: id, artist - title, path."""
    lines = []
    for c in candidates:
        row = c.as_dict()
        flag = "  [missing]" if row.get("status") == "missing" else ""
        lines.append(f"{row['track_id']:>7}  {track_label(row)}  {c.where()}{flag}")
    if total > len(candidates):
        lines.append(f"   … and {total - len(candidates)} more")
    return _joined(lines)
