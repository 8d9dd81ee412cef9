"""The terminal layout of neighbour lists (``similar``/``suggest`` print it)."""

from __future__ import annotations

import unicodedata

from musicsage.search.report import format_similar
from musicsage.search.types import SimilarResult


def columns(text: str) -> int:
    """Terminal columns, counted independently of the code under test."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def row(rank: int, title: str, artist: str = "", score: float = 0.5) -> dict:
    return {"track_id": rank, "rank": rank, "title": title, "artist": artist, "score": score,
            "in_both": False}


TITLES = ["Song 0", "東京の夜_ミックス", "🎵 emoji name", "Ääkköset (Live)",
          "Some Artist - Some Song (feat. Someone Else) [Extended Club Remix by A Very Long DJ]",
          "東京" * 60]


def test_wide_characters_keep_the_score_column_in_line():
    """A title in Japanese (or with an emoji) takes two terminal columns a character; its row's
    score was pushed right of every other row's."""
    rows = [row(i + 1, t, score=0.1 * i) for i, t in enumerate(TITLES)]
    for result in (SimilarResult(query=row(0, "q"), audio=rows),
                   SimilarResult(query=row(0, "q"), graph=rows, audio=rows)):
        lines = [line for line in format_similar(result, width=80).splitlines()
                 if line[:2].strip().isdigit()]
        assert len(lines) == len(TITLES)
        ends = {columns(line.split(" | ")[0]) for line in lines}
        assert len(ends) == 1, lines  # every left cell ends at the same column
        assert all(columns(line) <= 80 for line in lines), lines
        assert any("…" in line for line in lines)  # the long titles are cut, and say so


def test_control_characters_of_titles_are_shown_escaped():
    """A title, artist or file name holding ESC, BEL or ``\\r`` (tags and names come from the
    user's files) reached the terminal raw: colours changed, lines were overwritten. The text
    shows them escaped; the result's data (the JSON) keeps them."""
    rows = [row(1, "red\x1b[31m title", artist="bell\x07"), row(2, "back\rover\x9b")]
    result = SimilarResult(query=row(0, "query\x1b]0;title\x07"), graph=rows, audio=rows)
    text = format_similar(result, width=100)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text and "\x9b" not in text
    assert "red\\x1b[31m title" in text and "bell\\x07" in text and "back\\x0dover\\x9b" in text
    assert "query\\x1b]0;title\\x07" in text
    assert result.to_dict()["graph"][0]["title"] == "red\x1b[31m title"


def test_every_neighbour_says_why_under_it():
    """docs/cli.md promises every neighbour says why it is there; only ``--json`` said it."""
    def listed(rank: int, why: str) -> dict:
        return {**row(rank, f"Song {rank}"), "why": {"text": why}}

    long_why = "in Midnight Pilots, Daydreams · same album · #170 by audio alone · tags: " + (
        "electronic, experimental, ambient, chillout")
    graph = [listed(1, "same album · #8 by audio alone"), listed(2, long_why)]
    audio = [listed(1, "in Daydreams · same artist")]
    lines = format_similar(SimilarResult(query=row(0, "q"), audio=graph), width=140).splitlines()
    assert lines[2:6] == [lines[2], "     same album · #8 by audio alone", lines[4],
                          "     " + long_why]
    both = format_similar(SimilarResult(query=row(0, "q"), graph=graph, audio=audio), width=80)
    lines = both.splitlines()
    assert lines[3].split(" | ") == ["     same album · #8 by audio alone".ljust(38),
                                     "     in Daydreams · same artist"]
    left, right = lines[5].split(" | ")
    assert left.startswith("     in Midnight Pilots") and left.rstrip().endswith("…") and right == ""
    assert all(columns(line) <= 80 for line in lines), lines
