"""Hostile XSPF playlists (an entity-expansion bomb, an external entity), shared by the playlist
tests here and tests/robustness. A plain module with a name unique across tests/."""

from __future__ import annotations

from pathlib import Path

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<playlist version="1" xmlns="http://xspf.org/ns/0/"><title>&lol9;</title><trackList/></playlist>"""
"""The "billion laughs": a few hundred bytes that expand to 3 GB of text if entities are read."""


def external_entity(target: Path) -> bytes:
    """An XSPF whose track location is the content of ``target`` (a local file) if read."""
    return (f'<?xml version="1.0"?>\n<!DOCTYPE p [ <!ENTITY xxe SYSTEM "file://{target}"> ]>\n'
            '<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList><track>'
            '<location>&xxe;</location></track></trackList></playlist>').encode()
