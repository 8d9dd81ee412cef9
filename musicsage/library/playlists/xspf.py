"""XSPF (XML Shareable Playlist Format), parsed with defusedxml.

XML from elsewhere can carry entity-expansion bombs ("billion laughs") and external entities
(reading local files or URLs). defusedxml refuses any entity declaration and any external
reference; we turn its exceptions into a :class:`PlaylistError` saying which attack was refused.
``<location>`` holds a URI (``file:///…`` or relative, percent-encoded); resolution decodes it.
"""

from __future__ import annotations

from musicsage.library.playlists.base import (ParsedPlaylist, PlaylistError, PlaylistFormat,
                                               RawEntry, register)

NS = "{http://xspf.org/ns/0/}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(elem, name: str) -> str | None:
    for child in elem:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_xspf(data: bytes, filename: str) -> ParsedPlaylist:
    import xml.etree.ElementTree as ET

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise PlaylistError("refused: the XSPF declares an external entity "
                                f"({exc.name!r} → {exc.sysid or exc.pubid}); external entities are not read") from exc
        raise PlaylistError("refused: the XSPF declares XML entities "
                            f"({exc.name!r}; entity expansion is a known denial-of-service attack)") from exc
    except ExternalReferenceForbidden as exc:
        raise PlaylistError(f"refused: the XSPF references an external resource ({exc.sysid})") from exc
    except DTDForbidden as exc:  # not raised with forbid_dtd=False; kept for safety
        raise PlaylistError("refused: the XSPF contains a DTD") from exc
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown encoding=
        raise PlaylistError(f"not a valid XSPF file ({exc})") from exc
    if _local(root.tag) != "playlist":
        raise PlaylistError(f"not an XSPF playlist (root element <{_local(root.tag)}>)")
    out = ParsedPlaylist(format="xspf", name=_child_text(root, "title"))
    for track_list in (c for c in root if _local(c.tag) == "trackList"):
        for track in (t for t in track_list if _local(t.tag) == "track"):
            location = _child_text(track, "location")
            title = _child_text(track, "title")
            creator = _child_text(track, "creator")
            display = f"{creator} - {title}" if creator and title else (title or creator)
            out.entries.append(RawEntry(location or "", display))
    return out


XSPF = register(PlaylistFormat("xspf", (".xspf",), parse_xspf))
