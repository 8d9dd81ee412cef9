"""Playlists: every format parses the same entries; resolution rules; import into the DB."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from library_audio import write_audio
from playlist_traps import BOMB, external_entity

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.playlists import (PlaylistError, format_for, import_playlist_file,
                                         import_playlists)
from musicsage.library.scan import resolve_roots, scan_roots

ENTRIES = [("/music/Artist/01 One.flac", "Artist - One"), ("rel/Two ü.mp3", "Two ü"),
           ("file:///music/Three%20%C3%A9.ogg", None)]


# --- parsers: one shared check for every format ------------------------------------------------


def as_m3u(entries, *, newline="\n"):
    lines = ["#EXTM3U"]
    for raw, title in entries:
        if title:
            lines.append(f"#EXTINF:123,{title}")
        lines.append(raw)
    return newline.join(lines) + newline


def as_pls(entries):
    lines = ["[playlist]"]
    for i, (raw, title) in enumerate(entries, start=1):
        lines.append(f"File{i}={raw}")
        if title:
            lines.append(f"Title{i}={title}")
    lines.append(f"NumberOfEntries={len(entries)}")
    return "\n".join(lines) + "\n"


def as_xspf(entries, *, name="My List"):
    from xml.sax.saxutils import escape

    tracks = []
    for raw, title in entries:
        t = f"<location>{escape(raw)}</location>"
        if title:
            artist, _, song = title.partition(" - ")
            t += (f"<creator>{escape(artist)}</creator><title>{escape(song)}</title>" if song
                  else f"<title>{escape(title)}</title>")
        tracks.append(f"<track>{t}</track>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" xmlns="http://xspf.org/ns/0/">'
            f"<title>{name}</title><trackList>{''.join(tracks)}</trackList></playlist>")


WRITERS = {"list.m3u8": as_m3u, "list.pls": as_pls, "list.xspf": as_xspf}


@pytest.mark.parametrize("filename", list(WRITERS))
def test_every_format_parses_the_same_entries(filename):
    data = WRITERS[filename](ENTRIES).encode("utf-8")
    parsed = format_for(filename).parse(data, filename)
    assert [(e.raw, e.title) for e in parsed.entries] == ENTRIES


def test_m3u_crlf_bom_and_comments():
    text = "\ufeff" + as_m3u(ENTRIES, newline="\r\n") + "#EXTGRP:ignored\r\n\r\n"
    parsed = format_for("x.m3u").parse(text.encode("utf-8"), "x.m3u")
    assert [(e.raw, e.title) for e in parsed.entries] == ENTRIES


def test_m3u_and_m3u8_cp1252_fallback_noted_only_for_m3u8():
    """Winamp writes cp1252 into .m3u8 files, which are UTF-8 by definition: read them as a
    .m3u is, and say so (a plain .m3u has no declared encoding: nothing to say)."""
    data = "C:\\Musik\\Björk – Jóga.mp3\n".encode("cp1252")
    m3u = format_for("x.m3u").parse(data, "x.m3u")
    assert m3u.entries[0].raw == "C:\\Musik\\Björk – Jóga.mp3" and m3u.notes == []
    m3u8 = format_for("x.m3u8").parse(data, "x.m3u8")
    assert m3u8.entries[0].raw == "C:\\Musik\\Björk – Jóga.mp3"
    assert m3u8.notes == ["not UTF-8: read as Windows-1252"]
    assert format_for("x.m3u8").parse("Jóga.mp3\n".encode(), "x.m3u8").notes == []


ODD_NAME = "Line\u2028sep\u2029para\x0bvt\x0cff\x1cfs\x1dgs\x1ers\x85nel.wav"
"""A file name holding every character ``str.splitlines`` cuts at besides CR and LF (a Linux
name may: a title pasted from a tag); each entry naming it was read as two broken ones."""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_m3u_and_pls_lines_end_only_at_cr_and_lf(newline):
    entries = [(f"/music/{ODD_NAME}", "Odd\u2028title"), ("../music/b.wav", None)]
    pls = as_pls(entries).replace("\n", newline)
    for filename, text in (("x.m3u", as_m3u(entries, newline=newline)), ("x.pls", pls)):
        parsed = format_for(filename).parse(text.encode("utf-8"), filename)
        assert [(e.raw, e.title) for e in parsed.entries] == entries, (filename, newline)


def test_pls_without_entries_is_refused():
    with pytest.raises(PlaylistError, match="not a PLS"):
        format_for("x.pls").parse(b"hello\n", "x.pls")


# The entity bomb and external entity cases are in tests/robustness/test_hostile_playlists.py.


def test_xspf_not_xml_or_not_xspf():
    with pytest.raises(PlaylistError, match="not a valid XSPF"):
        format_for("x.xspf").parse(b"<playlist><unclosed>", "x.xspf")
    with pytest.raises(PlaylistError, match="not an XSPF"):
        format_for("x.xspf").parse(b"<html/>", "x.xspf")


# --- resolution against a scanned library --------------------------------------------------------


@pytest.fixture
def library(conn, tmp_path):
    """A scanned library under tmp/music, and a playlist folder tmp/lists."""
    music = tmp_path / "music"
    for rel in ["Artist/Album/01 First.flac", "Artist/Album/02 Second Song.mp3",
                "Other/Café/03 Third.ogg", "100% Hits/04.wav", "Unique Folder/05 Five.wav"]:
        write_audio(music / rel, seconds=0.2)
    nfd = unicodedata.normalize("NFD", "Noël")
    write_audio(music / f"{nfd}/06 Six.wav", seconds=0.2)
    scan_roots(conn, resolve_roots([music]))
    lists = tmp_path / "lists"
    lists.mkdir()
    return music, lists


def tid(conn, path: Path) -> int:
    return q.track_by_path(conn, P.from_fs(str(path)))["id"]


def entry_ids(conn, playlist_id):
    return [r["track_id"] for r in q.playlist_entries(conn, playlist_id)]


def test_resolution_rules(conn, library):
    music, lists = library
    first = tid(conn, music / "Artist/Album/01 First.flac")
    second = tid(conn, music / "Artist/Album/02 Second Song.mp3")
    third = tid(conn, music / "Other/Café/03 Third.ogg")
    hits = tid(conn, music / "100% Hits/04.wav")
    five = tid(conn, music / "Unique Folder/05 Five.wav")
    six = tid(conn, music / unicodedata.normalize("NFD", "Noël") / "06 Six.wav")
    lines = [
        str(music / "Artist/Album/01 First.flac"),                       # absolute
        "../music/Artist/Album/02 Second Song.mp3",                      # relative to playlist
        "file://" + str(music / "Other/Caf%C3%A9/03%20Third.ogg"),       # file URI, percent-encoded
        "file://localhost" + str(music / "Artist/Album/01%20First.flac"),
        "..\\music\\Artist\\Album\\02 Second Song.mp3",                  # backslashes
        "C:\\Users\\me\\Music\\Unique Folder\\05 Five.wav",              # Windows path: suffix
        "Artist/Album/01 First.flac",                                    # relative to library root
        str(music / "ARTIST/album/01 first.FLAC"),                       # case-insensitive
        str(music / "Noël/06 Six.wav"),                                  # NFC vs NFD on disk
        str(music / "100% Hits/04.wav"),                                 # literal % in a name
        "/elsewhere/missing.mp3",                                        # missing file
        "http://radio.example/stream.mp3",                               # a stream, never a track
        "01 First.flac",                                                 # bare name: ambiguous
    ]
    pl = lists / "mix.m3u"
    pl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = import_playlist_file(conn, str(pl))
    assert entry_ids(conn, rep.playlist_id) == [
        first, second, third, first, second, five, first, first, six, hits, None, None, None]
    assert rep.resolved == 10 and [u["position"] for u in rep.unresolved] == [10, 11, 12]
    assert "URL" in rep.unresolved[1]["reason"]
    assert [r["raw"] for r in q.playlist_entries(conn, rep.playlist_id)] == lines
    assert len(q.all_tracks(conn)) == 6  # nothing invented


def test_playlist_encodings_bom_cp1252_crlf(conn, library):
    music, lists = library
    third = tid(conn, music / "Other/Café/03 Third.ogg")
    (lists / "win.m3u").write_bytes("..\\music\\Other\\Café\\03 Third.ogg\r\n".encode("cp1252"))
    (lists / "bom.m3u8").write_bytes(b"\xef\xbb\xbf#EXTM3U\r\n#EXTINF:1,Third\r\n"
                                     + "../music/Other/Café/03 Third.ogg\r\n".encode())
    (lists / "list.pls").write_bytes("[playlist]\r\nFile1=..\\music\\Other\\Café\\03 Third.ogg\r\n"
                                     .encode("cp1252"))
    (lists / "winamp.m3u8").write_bytes("../music/Other/Café/03 Third.ogg\n".encode("cp1252"))
    reports = import_playlists(conn, [str(lists)])
    assert [(Path(r.path).name, r.format) for r in reports] == [
        ("bom.m3u8", "m3u8"), ("list.pls", "pls"), ("win.m3u", "m3u"), ("winamp.m3u8", "m3u8")]
    for r in reports:
        assert (r.resolved, r.unresolved) == (1, []), r
        assert entry_ids(conn, r.playlist_id) == [third]
    assert q.playlist_entries(conn, reports[0].playlist_id)[0]["title"] == "Third"
    assert q.playlist_entries(conn, reports[2].playlist_id)[0]["title"] is None
    assert [r.notes for r in reports] == [[], [], [], ["not UTF-8: read as Windows-1252"]]


def test_xspf_import_resolves_relative_uris(conn, library):
    music, lists = library
    first = tid(conn, music / "Artist/Album/01 First.flac")
    (lists / "a.xspf").write_text(as_xspf([("../music/Artist/Album/01%20First.flac", "A - B"),
                                           ("file:///nowhere/x.flac", None)], name="Named"))
    rep = import_playlist_file(conn, str(lists / "a.xspf"))
    assert rep.name == "Named" and entry_ids(conn, rep.playlist_id) == [first, None]


def test_refused_playlist_recorded_and_previous_import_kept(conn, library, tmp_path):
    music, lists = library
    pl = lists / "p.xspf"
    pl.write_text(as_xspf([(str(music / "Artist/Album/01 First.flac"), None)]))
    good = import_playlist_file(conn, str(pl))
    pl.write_bytes(BOMB)
    bad = import_playlist_file(conn, str(pl))
    assert bad.error and "refused" in bad.error
    assert entry_ids(conn, good.playlist_id) != []  # earlier import untouched
    assert [r["stage"] for r in q.list_errors(conn)] == ["playlist"]
    pl.write_bytes(external_entity(tmp_path / "x"))
    assert "external" in import_playlist_file(conn, str(pl)).error


def test_reimport_updates_in_place_preserving_order(conn, library):
    music, lists = library
    a = music / "Artist/Album/01 First.flac"
    b = music / "Artist/Album/02 Second Song.mp3"
    c = music / "Unique Folder/05 Five.wav"
    pl = lists / "p.m3u8"
    pl.write_text(f"{a}\n{b}\n{c}\n")
    first = import_playlist_file(conn, str(pl))
    pl.write_text(f"{c}\n{a}\n/gone.mp3\n{b}\n{a}\n")
    again = import_playlist_file(conn, str(pl))
    assert again.playlist_id == first.playlist_id
    assert entry_ids(conn, first.playlist_id) == [tid(conn, c), tid(conn, a), None, tid(conn, b), tid(conn, a)]
    assert len(q.playlist_rows(conn)) == 1


def test_scan_service_reports_unresolved_and_later_resolves(ctx, tmp_path):
    from musicsage.usecases.library import library_stats, playlist_track_ids, scan_library

    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "a.wav", seconds=0.2)
    lists.mkdir()
    (lists / "p.m3u").write_text("../music/a.wav\n../music/b.wav\n")
    rep = scan_library(ctx, [music], [lists])
    assert [(p.resolved, len(p.unresolved)) for p in rep.playlists] == [(1, 1)]
    assert rep.playlists[0].unresolved[0]["raw"] == "../music/b.wav"
    write_audio(music / "b.wav", seconds=0.2)
    rep = scan_library(ctx)  # re-scan: the new track resolves the old entry
    assert [(p.resolved, len(p.unresolved)) for p in rep.playlists] == [(2, 0)]
    stats = library_stats(ctx)
    assert stats.to_dict()["playlists"] == {"total": 1, "entries": 2, "resolved": 2,
                                            "unresolved": 0}
    assert playlist_track_ids(ctx, rep.playlists[0].playlist_id) == [1, 2]


def test_cp1252_playlist_matches_latin1_file_name_and_percent_escaped_uri(conn, tmp_path):
    music = os.fsencode(tmp_path / "music")
    raw = music + b"/Bj\xf6rk - J\xf3ga.wav"  # a Latin-1 name on disk (not UTF-8)
    write_audio(raw, seconds=0.2)
    scan_roots(conn, resolve_roots([music]))
    track_id = q.track_by_path(conn, P.from_fs(raw))["id"]
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "old.m3u").write_bytes("..\\music\\Björk - Jóga.wav\r\n".encode("cp1252"))
    (lists / "uri.xspf").write_text(as_xspf([("file://" + os.fsdecode(music) + "/Bj%F6rk%20-%20J%F3ga.wav", None)]))
    reports = import_playlists(conn, [str(lists)])
    assert [entry_ids(conn, r.playlist_id) for r in reports] == [[track_id], [track_id]]


def test_an_entry_naming_a_file_with_a_line_separator_resolves_to_it(conn, tmp_path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / ODD_NAME, seconds=0.2)
    scan_roots(conn, resolve_roots([music]))
    track_id = tid(conn, music / ODD_NAME)
    lists.mkdir()
    entries = [(str(music / ODD_NAME), None), (f"../music/{ODD_NAME}", "Odd")]
    (lists / "a.m3u8").write_text(as_m3u(entries), encoding="utf-8", newline="")
    (lists / "b.pls").write_text(as_pls(entries), encoding="utf-8", newline="")
    (lists / "c.m3u").write_text(as_m3u(entries, newline="\r"), encoding="utf-8", newline="")
    reports = import_playlists(conn, [str(lists)])
    assert [Path(r.path).name for r in reports] == ["a.m3u8", "b.pls", "c.m3u"]
    for r in reports:
        assert (r.resolved, r.unresolved) == (2, []), r
        assert entry_ids(conn, r.playlist_id) == [track_id, track_id]


def test_scan_notes_an_m3u8_that_is_not_utf8(ctx, tmp_path, capsys):
    from musicsage.cli import main

    write_audio(tmp_path / "music" / "Café.flac")
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "winamp.m3u8").write_bytes("../music/Café.flac\r\n".encode("cp1252"))
    args = ["--data-dir", str(ctx.data_dir)]
    assert main(["scan", str(tmp_path / "music"), *args]) == 0
    assert main(["scan", "--playlists", str(lists), *args]) == 0
    out = capsys.readouterr().out
    assert "playlist 'winamp' (m3u8): 1 entry, 1 resolved, 0 unresolved" in out
    assert "  note: not UTF-8: read as Windows-1252" in out
