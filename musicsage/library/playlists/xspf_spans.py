"""Where an XSPF's elements really are in its bytes, as an XML parser sees them.

Adding (:mod:`.append`) and removing (:mod:`.remove`) splice the user's file as bytes, so
that everything else in it stays as it was; the places they splice at come from expat, not
from a text search — ``</trackList>`` inside a comment, a CDATA section or an attribute is
no element's end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from musicsage.library.playlists.base import PlaylistError


@dataclass
class XspfSpans:
    """Byte offsets (in the UTF-8 document parsed) of what a playlist's editors need."""

    tracks: list[tuple[int, int]] = field(default_factory=list)
    """Each ``<track>`` of a ``<trackList>`` of the root: (start of its tag, just past its
    end), in document order — the elements parse_xspf reads as entries."""
    track_list: tuple[int, int | None] | None = None
    """The last ``<trackList>`` of the root: (start of its tag, start of its closing tag, or
    None when it is one empty-element tag ``<trackList/>``); None when there is none."""


def tag_end(doc: bytes, start: int) -> int:
    """Just past the ``>`` closing the tag that starts at ``start`` (quotes skipped)."""
    quote = None
    for i in range(start + 1, len(doc)):
        c = doc[i:i + 1]
        if quote:
            quote = None if c == quote else quote
        elif c in (b'"', b"'"):
            quote = c
        elif c == b">":
            return i + 1
    raise PlaylistError("not a valid XSPF file (a tag is not closed)")


def xspf_spans(doc: bytes) -> XspfSpans:
    """The :class:`XspfSpans` of ``doc`` (UTF-8 bytes, whatever its declaration says)."""
    import xml.parsers.expat as expat

    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator="}")
    stack: list[tuple[str, int]] = []
    found = XspfSpans()

    def start(name: str, _attrs) -> None:
        stack.append((name.rsplit("}", 1)[-1], parser.CurrentByteIndex))

    def end(_name: str) -> None:
        local, begin = stack.pop()
        parents = [s[0] for s in stack[1:]]
        if local == "trackList" and len(stack) == 1:
            empty = doc[tag_end(doc, begin) - 2:tag_end(doc, begin)] == b"/>"
            found.track_list = (begin, None if empty else parser.CurrentByteIndex)
        if local != "track" or parents != ["trackList"]:
            return
        opened = tag_end(doc, begin)
        closed = opened if doc[opened - 2:opened] == b"/>" else tag_end(doc, parser.CurrentByteIndex)
        found.tracks.append((begin, closed))

    def no_entities(*_args) -> None:  # parse_xspf refused them already; never expand one here
        raise PlaylistError("refused: the XSPF declares XML entities")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.EntityDeclHandler = no_entities
    try:
        parser.Parse(doc, True)
    except expat.ExpatError as exc:
        raise PlaylistError(f"not a valid XSPF file ({exc})") from exc
    return found
