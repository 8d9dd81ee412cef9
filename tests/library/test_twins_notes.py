"""When playlists take the place of a dataset import's copies of them, every front end says so
in the same words: ``scan`` did ("note: 2 playlists were already in the library as imported
from DIR: their files now stand for them"), but the window's scan line, the folder watch's
line (``scan --watch``) and the window's watch line said nothing — the copies went, and the
user who had imported the dir saw its playlists vanish without a word."""

from __future__ import annotations

from test_import_own_export import exported  # noqa: F401 (the fixture)
from test_scan_replaces_imported_twins import imported, playlists_of  # noqa: F401

from musicsage.controllers.summaries import describe_scan, describe_watch
from musicsage.library.db import connect
from musicsage.library.playlists.store import replaced_imports_note
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import scan_library


def said(x) -> str:
    return (f"2 playlists were already in the library as imported from {x}: their files now "
            "stand for them")


def test_the_windows_scan_line_says_it(imported, tmp_path):
    fresh, x = imported
    rep = scan_library(fresh, playlists=[tmp_path / "lists"])
    assert replaced_imports_note(rep.playlists) == said(x)
    assert describe_scan(rep) == (f"Scan finished: 2 playlists imported (1 entry not found), "
                                  f"{said(x)}")


def test_the_watchs_lines_say_it(imported, tmp_path):
    fresh, x = imported
    lists = tmp_path / "lists"
    rep = apply_changes(connect(fresh), WatchPlan(playlist_trees={str(lists)}),
                        Batch(paths={str(lists / "one.m3u8"): False,
                                     str(lists / "two.m3u8"): False}))
    assert [p[2] for p in playlists_of(fresh)] == ["file", "file"]
    assert not rep.empty
    assert rep.summary() == f"2 playlists imported, {said(x)}"  # scan --watch
    assert describe_watch(rep) == (f"Folder watch: 2 playlists imported, {said(x)}", "info")


def test_a_refresh_that_replaces_a_copy_is_no_empty_batch(imported, tmp_path, monkeypatch):
    """A file re-read only because music was added (a quiet refresh: its import is no news)
    that mends a library doubled before still says so."""
    from library_audio import write_audio

    from musicsage.library.playlists import store

    fresh, x = imported
    music, lists = tmp_path / "music", tmp_path / "lists"
    with monkeypatch.context() as m:  # as the scan did before: both copies kept
        m.setattr(store, "dataset_twins", lambda *args: [])
        scan_library(fresh, playlists=[lists])
    write_audio(music / "e.flac", seconds=0.2)  # one.m3u8 has an entry not found: re-read
    rep = apply_changes(connect(fresh), WatchPlan(roots=[str(music)]),
                        Batch(paths={str(music / "e.flac"): False}))
    assert [p.refreshed for p in rep.playlists] == [True]
    one = said(x).replace("2 playlists were", "1 playlist was").replace(
        "their files now stand for them", "its file now stands for it")
    assert rep.summary() == f"1 new ('e.flac'), {one}"
    assert describe_watch(rep) == (f"Folder watch: 1 new ('e.flac'), {one}", "info")
