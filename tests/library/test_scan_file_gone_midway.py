"""A file deleted while a scan runs (after the listing, before it is read) is gone, not
unreadable: the audit's scan said "1 unreadable (c149.flac: cannot read file: No such file or
directory)" for a file removed during the scan. A new file is left out without a word; a
known track's file is marked missing, as the next scan would."""

from __future__ import annotations

import os

from library_audio import write_audio

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library import tags as tags_mod
from musicsage.library.scan import resolve_roots, scan_roots


def deleting(name: str):
    """A prober that deletes ``name`` just before reading it."""
    def prober(fs_path, fmt):
        if os.path.basename(fs_path) == name:
            os.remove(fs_path)
        return tags_mod.probe(fs_path, fmt)
    return prober


def test_a_new_file_deleted_during_the_scan_is_no_error(conn, music):
    write_audio(music / "kept.wav", seconds=0.5)
    write_audio(music / "gone.wav", seconds=0.5)
    rep = scan_roots(conn, resolve_roots([music]), prober=deleting("gone.wav"))
    assert (rep.added, rep.errors, rep.missing) == (1, [], 0)
    assert q.track_by_path(conn, P.from_fs(str(music / "gone.wav"))) is None


def test_a_known_tracks_file_deleted_during_the_scan_is_missing(conn, music):
    f = write_audio(music / "song.wav", seconds=0.5)
    scan_roots(conn, resolve_roots([music]))
    write_audio(f, seconds=0.7)  # changed: the next scan reads it again
    rep = scan_roots(conn, resolve_roots([music]), prober=deleting("song.wav"))
    assert (rep.errors, rep.missing, rep.updated) == ([], 1, 0)
    assert q.track_by_path(conn, P.from_fs(str(f)))["status"] == "missing"
