"""What a ranked list may show: copies folded, variety, what is already there left out.

A nearest-neighbour search ranks vectors; a list a person plays needs three more rules:

- **Copies are folded.** A library holds the same song several times (the single and the
  album version, a remaster, a compilation): their audio vectors are near-identical, so the
  first "neighbour" of a song is often itself under another id, at 0.999. A track whose
  :func:`copy_key` (normalised title and artist, version words such as "(Radio Edit)" or
  "- Remastered 2011" left out) equals that of an *anchor* (the query, a playlist's members,
  what a radio queue already holds) is never listed, and a list never shows two copies of
  one song (the better ranked one stays). A file copied under another name is folded too,
  tags or none: its content hash (:func:`musicsage.library.moves.current_hashes`, the one a
  scan records to recognise moves) equals the original's — the one rule that holds for an
  untagged file, which has no artist to compare. Always on.
- **Variety** (a switch): at most one track per artist, so one artist cannot fill the top 10.
- **Exclusions**: ids that must not appear (the query, members, missing files) never reach
  this module: the index skips them (:func:`ranked_candidates`).

A remix, a live take or an acoustic version is a different recording a listener may want:
such titles do not fold into the studio track, even beside a version word ("(Live Version)");
a live take's releases ("(Live)", "- Live / Remastered 2011") fold into each other, while
another year ("(Live 1977)", "(2009 Remix)") or another line-up ("(Live with the LSO)") names
another take. An edit or a mix of the same recording stays a copy ("- Radio Edit", "- Radio
Mix", "- Club Mix/Dirty Version"); a mix named by its own word alone ("(Club Mix)") is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from musicsage.text import casefolded

_VERSION_WORDS = (r"(?:version|edit|remaster|remastered|remasterizado|single|album|mono|stereo|"
                  r"explicit|clean|deluxe|bonus|original|edition)")
"""Words that mark a copy's ending: "(Single Version)", "- 2011 Remaster", "(Original Mix)",
"(Japanese Edition)" (the song as one release of it holds it). An ending of them with any
other words but no :data:`_OTHER_WORDS` is a copy too: an edit or a mix of the same
recording ("- Vocal Edit", "- Club Mix/Dirty Version", "- Martin Garrix Edit") is the song
cut or balanced for a release. A mix word alone marks nothing: "(Club Mix)", "(VIP Mix)"
keep their ending, and stay apart from the song."""
_OTHER_WORDS = (r"(?:live|acoustic|unplugged|remix|remixed|instrumental|demo|karaoke|"
                r"a\s?cappella|acapella|extended|reprise|dub|piano|orchestral|symphonic|"
                r"stripped|alternate|alternative|early|rehearsal)")
"""Words that make an ending name another recording, even beside a version word: "(Acoustic
Version)", "- Live / Remastered 2011" are no copies of the studio track. So do another
arrangement or take: "(Piano Version)", "(Orchestral Version)", "(Alternate Version)" were
folded as copies, for their "Version", and never listed beside the song. Not plain "mix":
"(Original Mix)", "- Mono Mix" or "- Single Mix" is the song itself."""
_RADIO_CUT = r"radio\s+(?:edit|mix|version)"
_LANGUAGES = r"(?:spanish|english|french|german|italian|portuguese|japanese|korean)"
_LANGUAGE_TAKE = (_LANGUAGES + r"\s+(?:language(?:\s+(?:version|ver\.?))?|(?:[\w'.-]+\s+)*?"
                  r"(?:version|ver\.?)|" + _RADIO_CUT + ")")
"""A language names another recording as a version, whatever words stand between ("(Spanish
Version)", "(Korean Ver.)", "(Spanish Language Version)", "(Italian Remastered Version)",
"(German Single Version)": that language's take, remastered or released as a single),
alone ("(Spanish)", :data:`_LANGUAGE_ALONE`), or before a radio cut, a cut of that take
("(Spanish Radio Edit)", one take with "(Spanish Version)"): these were folded as copies of
the song, and similar and radio hid them. Beside other words and no "Version" it names a
release of the song, a copy: "(Japanese Bonus Track)", "(Japanese Edition)", "(French Edit)"
were listed beside the song, and radio queued it twice, when any language word counted."""
_LANGUAGE_ALONE = re.compile(r"\s*" + _LANGUAGES + r"\s*")
_WORD_ALONE = r"(?![\w'])"
_WORD_START = r"(?<![\w'])"
_CREDIT_WORDS = r"(?:feat\.?|ft\.?|featuring)"
_FEATURING_WORDS = rf"(?:{_CREDIT_WORDS}|with)"
_ANY_MARKER = f"(?:{_VERSION_WORDS}|{_OTHER_WORDS}|{_LANGUAGES}|{_FEATURING_WORDS}|{_RADIO_CUT})"
_BRACKETED = re.compile(r"\s*[\(\[]([^\(\)\[\]]*)[\)\]]")
"""A bracket with none inside: nested ones ("(Live [Remastered])") are read inside out."""
_DASH_SUFFIX = re.compile(r"\s+[-\u2013\u2014]\s+((?:[^-\u2013\u2014]*\s)?(?:\d{4}\s+)?"
                          + _ANY_MARKER + r"\b.*)$")
_FEATURING_PART = re.compile(rf"(?:{_WORD_START}{_CREDIT_WORDS}|(?:^|(?<=[/;]))\s*with)"
                             + _WORD_ALONE + ".*$")
"""A featured artist in a title's ending: from "feat."/"ft."/"featuring" on, or a part that
starts with "with" ("(with Cy)", "- Remix; with Cy"). "With" inside a phrase names the take:
"(Live with the LSO)" is not "(Live with the Berlin Phil)"."""
_FEATURING = re.compile(r"\s+" + _FEATURING_WORDS + r"\s.*$")
"""A featured artist in an artist tag (:func:`artist_key`): not :data:`_FEATURING_PART`, as
the credit follows the main artist in the middle of the tag ("Ann with Bo"), where a title's
ending uses "with" for its take too."""
_COPY_PHRASE = re.compile(_WORD_START + r"(?:\d{4}\s+(?:digital(?:ly)?\s+)?remaster(?:ed|izado)?"
                          r"|remaster(?:ed|izado)?(?:\s+version)?\s+(?:in\s+)?\d{4}|"
                          + _RADIO_CUT + ")" + _WORD_ALONE)
"""Phrases of a release, not of a take: a remaster's year ("2011 Remaster", "Remastered
2011") and a radio cut ("Radio Edit"). Any other year names the take: "(Live 1977)" is not
"(Live 1985)", "(2009 Remix)" not "(2019 Remix)"."""
_OTHER_RECORDING = re.compile(_WORD_START + f"(?:{_OTHER_WORDS}|{_LANGUAGE_TAKE})" + _WORD_ALONE)
_VERSION = re.compile(_WORD_START + _VERSION_WORDS + _WORD_ALONE)
_FILLER = re.compile(r"(?:" + _VERSION_WORDS + r"|mix|ver|language)")


def _ending_key(match: re.Match) -> str:
    """A bracket or a dash's suffix as compared: what names another recording, as its words
    without a release's phrases and version words ("(Live Version)", "- Live / Remastered
    2011" → "live", one take however a release names it); a copy's marker left out; anything
    else as it was. A featured artist is set aside first: "(feat. Jimmy Dub)", "(with The
    Live Band)" named no other recording, and kept the copy apart."""
    inner = match.group(1)
    words = _FEATURING_PART.sub("", inner)
    if _OTHER_RECORDING.search(words) or _LANGUAGE_ALONE.fullmatch(words):
        words = _COPY_PHRASE.sub(" ", words)
        return " " + " ".join(w for w in re.findall(r"[\w']+", words) if not _FILLER.fullmatch(w))
    if _VERSION.search(words) or not _COPY_PHRASE.sub("", words).strip():
        return ""
    return match.group(0).replace(inner, words.rstrip())


def _brackets_key(text: str) -> str:
    """Every bracket of ``text`` through :func:`_ending_key`, inner ones first: "(Live
    [Remastered])" left a stray ")" when read as one bracket up to the first closing one."""
    for _ in range(text.count("(") + text.count("[")):
        text, before = _BRACKETED.sub(_ending_key, text), text
        if text == before:
            break
    return text


def title_key(title: str | None) -> str:
    """A title as compared for copies: case, width and spacing folded, version words out.

    ``"Tender Love (Single Version)"``, ``"Tender Love - 2011 Remaster"``, ``"Tender Love
    (feat. Cy)"`` and ``"tender love"`` give the same key; ``"Tender Love (Live)"`` and
    ``"Tender Love (Acoustic Version)"`` do not (:data:`_OTHER_WORDS`), while ``"Tender Love
    (Live Version)"`` and ``"Tender Love - Live"`` are the same live take. Also compares
    albums and genres (:mod:`musicsage.search.why`): a remastered album is the album.
    """
    text = casefolded(title)
    text = _brackets_key(text)
    text = _DASH_SUFFIX.sub(_ending_key, text)
    return " ".join(text.split()).strip(" -\u2013\u2014")


def artist_key(artist: str | None) -> str:
    """The main artist as compared: ``"Ann & Bo feat. Cy"`` → ``"ann & bo"``."""
    return _FEATURING.sub("", casefolded(artist)).strip()


def copy_key(row: Mapping) -> tuple[str, str] | None:
    """(title key, artist key) of a track row, or None when either is unknown (an untagged
    "Track 01" by nobody is nobody's copy)."""
    title, artist = title_key(row.get("title")), artist_key(row.get("artist"))
    return (title, artist) if title and artist else None


@dataclass
class ListCurator:
    """Builds one list from candidates offered best first (see the module docstring).

    ``anchors``: rows whose copies are never listed. ``variety``: at most one track per
    artist, also none of ``taken_artists`` (a radio's queue so far, seed included: "one per
    artist" holds for the whole queue; a list of neighbours may show the query's artist).
    ``contents(ids)``: the content hashes known for those track ids (None: copies are told
    by their tags alone), ``same_file`` the verdict on tracks whose hashes collide.
    :attr:`rows` is the list, :attr:`folded` the ids left out
    as copies of an anchor, :attr:`passed_over` those left out for a row it shows (a copy of
    it; with variety, another track of its artist): a rank beside the list counts neither,
    so "#3 by the graph model" is the third row of the graph list.
    """

    k: int
    anchors: Sequence[Mapping] = ()
    variety: bool = False
    taken_artists: Iterable[str | None] = ()
    contents: Callable[[Sequence[int]], Mapping[int, str]] | None = None
    same_file: Callable[[int, int], bool] | None = None
    """Whether two tracks of one content hash are one file copied
    (:meth:`~musicsage.search.same_file.TrackFiles.same`), asked only where hashes collide:
    two songs of one length between the same silences share a hash, and the other one was
    hidden as a copy. None: the hash alone tells."""
    rows: list[dict] = field(default_factory=list)
    folded: list[int] = field(default_factory=list)
    passed_over: list[int] = field(default_factory=list)
    same_artist_left_out: dict[str, int] = field(default_factory=dict)
    """With variety, the candidates left out for an artist already taken or listed, counted
    by that artist as first named (the seed's tag, not a later "Ann feat. Cy"): what a radio
    that ran out says it left out, and for whom."""

    def __post_init__(self) -> None:
        self._hashes: dict[int, str] = {}
        self._files: dict[str, list[int]] = {}  # hash → one track of each file found of it
        self._file_of: dict[int, int] = {}  # track → that one of its file
        self.learn_contents([int(a["track_id"]) for a in self.anchors if "track_id" in a])
        self._anchor_keys: dict[tuple[str, ...], set[int]] = {}  # key → the anchors of it
        for row in self.anchors:
            for key in self._copy_keys(row):
                self._anchor_keys.setdefault(key, set()).update(
                    [int(row["track_id"])] if "track_id" in row else [])
        self.folded_onto: dict[int, set[int]] = {}
        """Each folded id → the anchors it is a copy of: which song of another list a row
        is (``similar --json``'s ``in_both`` counts songs, :func:`~musicsage.search.similar.
        songs_in_both`)."""
        self._listed_keys: set[tuple[str, ...]] = set()
        self._left_out_keys: set[tuple[str, ...]] = set()  # of those variety left out
        self._artists: dict[str, str] = {}  # artist_key → the artist as first named
        for name in self.taken_artists:
            self._take_artist(name)

    def _take_artist(self, name: str | None) -> None:
        """Note ``name``'s artist as taken: with variety, none other of theirs is listed."""
        key = artist_key(name)
        if key and key not in self._artists:  # named as the user knows them: "Ann", not "ann"
            spaced = " ".join(str(name).split())
            self._artists[key] = re.sub(_FEATURING.pattern, "", spaced, flags=re.I) or spaced

    @property
    def full(self) -> bool:
        return len(self.rows) >= self.k

    def learn_contents(self, track_ids: Sequence[int]) -> None:
        """Look up the content hashes of ``track_ids`` (before offering them)."""
        if self.contents is not None and track_ids:
            self._hashes.update(self.contents(list(track_ids)))

    def _copy_keys(self, row: Mapping) -> set[tuple[str, ...]]:
        """What makes another row a copy of this one: its tags' :func:`copy_key`, its file's
        content hash; either may be unknown."""
        keys: set[tuple[str, ...]] = set()
        tags = copy_key(row)
        if tags is not None:
            keys.add(("tags", *tags))
        digest = self._hashes.get(int(row["track_id"])) if "track_id" in row else None
        if digest:
            keys.add(("file", digest, str(self._file(int(row["track_id"]), digest))))
        return keys

    def _file(self, track_id: int, digest: str) -> int:
        """The first track seen of ``track_id``'s file among those of its hash: tracks of one
        hash are compared (:attr:`same_file`) only where more than one is seen."""
        if track_id not in self._file_of:
            seen = self._files.setdefault(digest, [])
            self._file_of[track_id] = next(
                (t for t in seen if self.same_file is None or self.same_file(t, track_id)),
                track_id)
            if self._file_of[track_id] == track_id:
                seen.append(track_id)
        return self._file_of[track_id]

    def offer(self, row: Mapping) -> bool:
        """Consider the next candidate; True when it was listed."""
        if self.full:
            return False
        keys = self._copy_keys(row)
        if hit := keys & self._anchor_keys.keys():
            self.folded.append(int(row["track_id"]))
            self.folded_onto[int(row["track_id"])] = set().union(
                *(self._anchor_keys[key] for key in hit))
            return False
        if keys & self._listed_keys:
            self.passed_over.append(int(row["track_id"]))
            return False
        artist = artist_key(row.get("artist"))
        if self.variety and artist in self._artists:  # never "": an untagged one is no artist
            if not keys & self._left_out_keys:  # a copy of one counted is no other track
                name = self._artists[artist]
                self.same_artist_left_out[name] = self.same_artist_left_out.get(name, 0) + 1
            self._left_out_keys |= keys
            self.passed_over.append(int(row["track_id"]))
            return False
        self._listed_keys |= keys
        self._take_artist(row.get("artist"))
        self.rows.append({**row, "rank": len(self.rows) + 1})
        return True


def ranked_candidates(search: Callable[[int], list[tuple[int, float]]], k: int, n: int
                      ) -> Iterator[list[tuple[int, float]]]:
    """Batches of ``(track_id, score)`` best first, from ``search(fetch)`` (the top ``fetch``
    of an index, exclusions already applied), fetching more while the caller keeps asking:
    copies and variety may leave out many candidates, so a list of ``k`` needs more than
    ``k`` of them. Each batch holds only candidates not yielded before, none scoring above
    the last one yielded: an approximate (hnsw) search asked for more searches wider and
    may rank differently, so "the hits past the first batch's length" offered some tracks
    a second time (the graph list's own row then counted as passed over, and lost its
    "#N by the graph model" in the audio list) and put better ones after worse."""
    fetch = min(n, 3 * k + 10)
    seen: set[int] = set()
    last = np.inf
    while True:
        hits = search(fetch)
        batch = [(t, s) for t, s in hits if t not in seen and s <= last]
        if batch:
            seen.update(t for t, _ in batch)
            last = batch[-1][1]
            yield batch
        if fetch >= n or len(hits) < fetch:
            return
        fetch = min(n, fetch * 4)


def curate(batches: Iterable[list[tuple[int, float]]], summaries: Callable[[list[int]], dict],
           curator: ListCurator) -> ListCurator:
    """Offer candidate batches (ids and scores) to ``curator`` until its list is full.
    ``summaries(ids)`` gives each id's track row; ids without a row are skipped."""
    for batch in batches:
        ids = [t for t, _ in batch]
        info = summaries(ids)
        curator.learn_contents(ids)
        for track_id, score in batch:
            row = info.get(int(track_id))
            if row is not None:
                curator.offer({**row, "score": round(float(score), 6)})
            if curator.full:
                return curator
    return curator


def unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to unit length (a zero vector stays zero)."""
    v = np.asarray(vector, np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v
