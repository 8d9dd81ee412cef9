"""Plain-text renderings of search results for the terminal (the CLI prints these)."""

from __future__ import annotations

import os
import unicodedata
from typing import TYPE_CHECKING, Mapping, Sequence

from musicsage.search.types import SPACES, RadioResult, SimilarResult, SuggestResult
from musicsage.text import counted, printable

if TYPE_CHECKING:
    from musicsage.search.query import Candidate


def track_label(row: Mapping) -> str:
    title = row.get("title") or os.path.basename(str(row.get("path") or "")) or f"#{row['track_id']}"
    return f"{row['artist']} - {title}" if row.get("artist") else title


def _columns(ch: str) -> int:
    """Terminal columns of one character: CJK and emoji take two, combining marks none."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns (with "…" when cut), padded to them: a
    title in Japanese takes twice the columns of its characters, and counting characters
    pushed the score column of its row out of line."""
    if sum(map(_columns, text)) > width:
        room, kept = max(width - 1, 0), []
        for ch in text:
            if room - _columns(ch) < 0:
                break
            room -= _columns(ch)
            kept.append(ch)
        text = "".join(kept) + ("\u2026" if width >= 1 else "")
    return text + " " * max(width - sum(map(_columns, text)), 0)


def _cell(row: Mapping, width: int) -> str:
    """``' 1 * Artist - Title   0.912'`` in exactly ``width`` terminal columns."""
    mark = "*" if row.get("in_both") else " "
    head = f"{row['rank']:>2} {mark} "
    score = f" {row['score']:.3f}"
    return head + _fit(printable(track_label(row)), width - len(head) - len(score)) + score


WHY_INDENT = 5
"""Where a neighbour's why starts on the line under it: under its title, past rank and mark."""


def _why_cell(row: Mapping, width: int) -> str:
    """The row's why (``why.text``), under its title in ``width`` columns, cut with "…" when
    longer (``--json`` has it whole); "" for a row without one."""
    text = (row.get("why") or {}).get("text") or ""
    return " " * WHY_INDENT + _fit(printable(text), width - WHY_INDENT) if text else ""


def format_similar(result: SimilarResult, *, width: int = 100) -> str:
    """The neighbour lists; two side by side when both spaces have one (``*`` = in both)."""
    q = result.query
    head = (f"Similar to #{q['track_id']}: {track_label(q)}"
            + ("  [missing file]" if q.get("status") == "missing" else ""))
    return _joined(_lists(result, head, width) + _copies_line(result, "the query"))


def format_suggestions(result: SuggestResult, *, width: int = 100) -> str:
    """Suggestions for a playlist, laid out like :func:`format_similar`."""
    p = result.playlist
    head = (f"Suggestions for playlist #{p['playlist_id']}: {p['name']} "
            f"({counted(p['tracks'], 'track')}{', one per artist' if result.variety else ''})")
    return _joined(_lists(result, head, width) + _copies_line(result, "its tracks"))


def _joined(lines: Sequence[str]) -> str:
    """The lines as one text, each with the control characters of titles, names and paths
    (from users' files) written visibly, so none reaches the terminal raw."""
    return "\n".join(map(printable, lines))


def _copies_line(result: SimilarResult | SuggestResult, of: str) -> list[str]:
    """Name the copies left out, so a duplicate the user knows of is not silently missing."""
    folded = result.folded_ids
    return [f"copies of {of} left out: {', '.join(f'#{t}' for t in folded)}"] if folded else []


def format_radio(result: RadioResult) -> str:
    """The seed, then the queue, one numbered line each."""
    lines = [f"Radio from #{result.seed['track_id']}: {track_label(result.seed)} "
             f"({result.mode}, {result.space} space)"]
    lines += [f"{row['position']:>3}  {track_label(row)}  (#{row['track_id']})"
              for row in result.tracks]
    if result.note:
        lines.append(f"note: {result.note}")
    return _joined(lines)


def _lists(result: SimilarResult | SuggestResult, head: str, width: int) -> list[str]:
    lines = [head]
    shown = [(name, result.rows(name)) for name in SPACES if result.rows(name)]
    models = result.models

    def header(name: str) -> str:
        model = models.get(name)
        return f"{name} ({model})" if model else name

    if len(shown) == 2:
        col = max(30, (width - 3) // 2)
        lines.append(_fit(header("graph"), col) + " | " + _fit(header("audio"), col).rstrip())
        graph, audio = shown[0][1], shown[1][1]
        for i in range(max(len(graph), len(audio))):
            left, right = (graph[i] if i < len(graph) else None,
                           audio[i] if i < len(audio) else None)
            lines.append((_cell(left, col) if left else " " * col) + " | "
                         + (_cell(right, col) if right else ""))
            why_left, why_right = (_why_cell(r, col) if r else "" for r in (left, right))
            if why_left or why_right:
                lines.append((why_left or " " * col) + " | " + why_right.rstrip())
        lines.append(f"* = in both lists ({result.in_both})")
    else:
        for name, rows in shown:
            lines.append(header(name))
            for r in rows:
                why = _why_cell(r, width).rstrip()
                lines += [_cell(r, width), why] if why else [_cell(r, width)]
    for name, count in result.skipped_missing.items():
        lines.append(f"{name}: {count} missing file(s) left out")
    for name, note in result.notes.items():
        if not note.endswith("not requested"):
            lines.append(f"{name}: {note}")
    return lines


def format_candidates(candidates: Sequence[Candidate], total: int) -> str:
    """One line per candidate of an ambiguous query: id, artist - title, path."""
    lines = []
    for c in candidates:
        row = c.as_dict()
        flag = "  [missing]" if row.get("status") == "missing" else ""
        lines.append(f"{row['track_id']:>7}  {track_label(row)}  ({row['path']}){flag}")
    if total > len(candidates):
        lines.append(f"   … and {total - len(candidates)} more")
    return _joined(lines)
