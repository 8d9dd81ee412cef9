"""An audio file's common tags (title, artist, album, album artist, genre, track number,
year), read from whichever tag format it carries: ID3, Vorbis comments, MP4, WMA's ASF
attributes, APEv2, and the tags mutagen leaves unread (RIFF INFO, AIFF chunks, an ID3v2 in
front of a FLAC, APEv2 on a TTA or an MP3). Apart from :mod:`.tags`, which probes the file
and checks that its audio decodes: this is the mapping of each format's field names onto
the library's, and which format wins where a file carries two."""

from __future__ import annotations

from typing import Any

from musicsage.library.riff_tags import chunk_texts
from musicsage.library.tag_values import id3_texts, tag_value


_ID3_FRAMES = {"title": "TIT2", "artist": "TPE1", "album": "TALB", "albumartist": "TPE2",
               "genre": "TCON", "track_number": "TRCK", "year": "TDRC"}
_VORBIS_KEYS = {"title": ("title",), "artist": ("artist",), "album": ("album",),
                "albumartist": ("albumartist", "album artist", "album_artist"),
                "genre": ("genre",), "track_number": ("tracknumber",), "year": ("date", "year")}
"""Vorbis comment names, the first present wins: foobar2000 writes ``ALBUM ARTIST``, and a
compilation's album artist, read as ``ALBUMARTIST`` alone, was lost (its album split up)."""
_MP4_KEYS = {"title": "\xa9nam", "artist": "\xa9ART", "album": "\xa9alb", "albumartist": "aART",
             "genre": "\xa9gen", "track_number": "trkn", "year": "\xa9day"}
_ASF_KEYS = {"title": ("Title",), "artist": ("Author",), "album": ("WM/AlbumTitle",),
             "albumartist": ("WM/AlbumArtist",), "genre": ("WM/Genre",),
             "track_number": ("WM/TrackNumber",), "year": ("WM/Year", "date", "year")}
"""WMA's attribute names, as Windows Media Player and taggers write them (case matters), the
first one present wins. FFmpeg (``ffmpeg -metadata date=…``, PyAV) stores the year under its
own ``date`` or ``year``, not ``WM/Year``: such a WMA showed no year."""
_APE_KEYS = {"title": ("title",), "artist": ("artist",), "album": ("album",),
             "albumartist": ("album artist", "albumartist"), "genre": ("genre",),
             "track_number": ("track",), "year": ("year", "date")}
"""APEv2 item keys (WavPack; TTA's and an MP3's tag at the end), which mutagen matches in
any case, the first present wins: foobar2000 writes ``Album Artist`` and ``Year``, other
taggers ``ALBUMARTIST`` and ``DATE`` too (an album split up without them)."""


def read_tags(mfile: Any) -> dict[str, Any]:
    """The common tags of a parsed mutagen file, whatever its tag format (ID3, Vorbis, MP4,
    WMA's ASF attributes, APEv2)."""
    tags = getattr(mfile, "tags", None)
    if tags is None:
        return {}
    from mutagen.apev2 import APEv2
    from mutagen.asf import ASFTags
    from mutagen.id3 import ID3
    from mutagen.mp4 import MP4Tags

    out: dict[str, Any] = {}
    for key in _ID3_FRAMES:
        if isinstance(tags, ID3):
            raw = id3_texts(tags.get(_ID3_FRAMES[key]))  # mislabelled encodings read right
        elif isinstance(tags, MP4Tags):
            raw = tags.get(_MP4_KEYS[key])
        elif isinstance(tags, ASFTags):  # typed attributes: their text is str(value)
            raw = next(([str(v) for v in tags[name]] for name in _ASF_KEYS[key]
                        if tags.get(name)), [])
        elif isinstance(tags, APEv2):  # a text item holds its values split by NUL
            item = next((tags[name] for name in _APE_KEYS[key] if tags.get(name)), None)
            raw = list(item) if item is not None and item.kind == 0 else None
        else:  # Vorbis comments (FLAC, Ogg, Opus) behave like a dict of lists
            try:
                raw = next((tags[name] for name in _VORBIS_KEYS[key] if tags.get(name)), None)
            except (AttributeError, TypeError, ValueError):
                raw = None
        if (value := tag_value(key, raw)) is not None:
            out[key] = value
    return out


_FALLBACK_FIELDS = {"flac": frozenset(_ID3_FRAMES), "tta": frozenset(_ID3_FRAMES),
                    "mp3": frozenset(_ID3_FRAMES), "wav": frozenset(_ID3_FRAMES) - {"albumartist"},
                    "aiff": frozenset({"title", "artist"})}
"""The fields :func:`_fallback_tags` can find per format (RIFF INFO has no album artist)."""


def _fallback_tags(fs_path: str, fmt: str, have: dict[str, Any]) -> dict[str, Any]:
    """Tags mutagen leaves unread: a WAV's RIFF INFO, an AIFF's NAME/AUTH
    (:mod:`~musicsage.library.riff_tags`), an ID3v2 tag in front of a FLAC (taggers for MP3
    put one there; mutagen's FLAC reader skips it), the APEv2 tag at the end of a TTA (what
    FFmpeg and foobar2000 write; mutagen's TrueAudio reads only ID3), an MP3's APEv2 tag
    (foobar2000 wrote APEv2 and ID3v1; mutagen's MP3 reads only ID3: an MP3 tagged so had no
    tags but ID3v1's, or none). Only the fields mutagen's tags (``have``) lack are taken
    from these, so a file whose tags hold them all is not opened once more (a scan reads
    thousands)."""
    if _FALLBACK_FIELDS.get(fmt, frozenset()) <= have.keys():
        return {}
    if fmt in ("flac", "tta", "mp3"):
        from types import SimpleNamespace
        from mutagen.apev2 import APEv2
        from mutagen.id3 import ID3

        try:
            return read_tags(SimpleNamespace(tags=(ID3 if fmt == "flac" else APEv2)(fs_path)))
        except Exception:  # no such tag (the usual case), or a damaged one: no tags
            return {}
    out: dict[str, Any] = {}
    for key, raw in chunk_texts(fs_path, fmt).items():
        if (value := tag_value(key, raw)) is not None:
            out[key] = value
    return out


def _merged_tags(fs_path: str, fmt: str, mfile: Any) -> dict[str, Any]:
    """mutagen's tags, and :func:`_fallback_tags` for the fields they lack; an MP3's APEv2
    wins over an ID3v1 tag alone, whose fields are cut at 30 bytes of Latin-1 ("????" for
    the Japanese artist that its APEv2 tag holds whole)."""
    tags = read_tags(mfile) if mfile is not None else {}
    if fmt == "mp3" and getattr(getattr(mfile, "tags", None), "version", (2,)) < (2,):
        return {**tags, **_fallback_tags(fs_path, fmt, {})}
    return {**_fallback_tags(fs_path, fmt, tags), **tags}  # ID3, Vorbis win over these
