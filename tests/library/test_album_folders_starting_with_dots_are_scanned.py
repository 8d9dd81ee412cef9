"""Album and artist folders whose names start with dots (``...And Justice for All``,
``.38 Special``) are music, not hidden folders: the scan skipped them and their tracks never
appeared, without a word. Hidden folders (``.Trash-1000``, ``.git``) are still skipped."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.library.scan import resolve_roots, scan_roots


def _titles(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT title FROM tracks WHERE status = 'present'")}


def test_folders_named_after_albums_with_leading_dots_are_scanned(conn, music):
    write_audio(music / "Metallica" / "...And Justice for All" / "01.wav", tags={"title": "Blackened"})
    write_audio(music / ".38 Special" / "Rockin' into the Night" / "01.wav", tags={"title": "Rockin'"})
    write_audio(music / "Slipknot" / ".5: The Gray Chapter" / "01.wav", tags={"title": "XIX"})
    write_audio(music / ".Trash-1000" / "files" / "deleted.wav", tags={"title": "Deleted"})
    write_audio(music / ".git" / "blob.wav", tags={"title": "Blob"})
    rep = scan_roots(conn, resolve_roots([music]))
    assert rep.errors == []
    assert _titles(conn) == {"Blackened", "Rockin'", "XIX"}
    assert rep.added == 3
