"""A playlist file overwritten by another program with something that is no playlist (binary
data, a crashed editor's save) was said by ``scan --watch`` as "1 playlist imported", as if
the edit had been taken, though the library kept its old entries; and every later batch, of
whatever file, said "1 playlist imported" again (its file still differs from what was
imported). The batch says it was not read, and why; later batches say it no more."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio
from player_files import write_rhythmbox

from musicsage.library.db import connect
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import scan_library


def test_a_playlist_overwritten_with_garbage_is_said_not_read_once(ctx, tmp_path: Path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "x.wav", seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n")
    scan_library(ctx, [music], [lists])
    (lists / "a.m3u8").write_bytes(b"\x00\x01garbage\xff")
    plan = WatchPlan(roots=[str(music)], playlist_dirs={str(lists)})
    rep = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    assert not rep.empty
    assert "imported" not in rep.summary()
    assert rep.summary().startswith("1 playlist not read (a.m3u8: not a playlist")
    kept = connect(ctx).execute("SELECT COUNT(track_id) FROM playlist_entries").fetchone()[0]
    assert kept == 1  # its entries as they were imported
    (music / "cover.txt").write_text("")  # a later batch that changes nothing: said once
    later = apply_changes(connect(ctx), plan, Batch(paths={str(music / "cover.txt"): False}))
    assert later.empty, later.summary()
    (lists / "a.m3u8").write_text("../music/x.wav\n")  # mended: imported again, and said so
    mended = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    assert mended.summary() == "1 playlist imported"


def test_a_players_own_lists_it_skips_are_not_said_not_read(ctx, tmp_path: Path):
    """Rhythmbox's automatic lists and play queue, which the import skips as it always did
    (no choice of tracks), were said "2 playlists not read", a warning, each time the player
    saved its file — a track added to a list in Rhythmbox read as a failure."""
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=0.1)
    write_audio(music / "b.wav", seconds=0.2)
    rb = tmp_path / "rhythmbox" / "playlists.xml"
    rb.parent.mkdir()
    write_rhythmbox(rb, [("Evening", [str(music / "a.wav")])])
    scan_library(ctx, [music], [rb])
    plan = WatchPlan(roots=[str(music)], player_sources={str(rb)},
                     playlist_dirs={str(rb.parent)})
    write_rhythmbox(rb, [("Evening", [str(music / "a.wav"), str(music / "b.wav")])])
    rep = apply_changes(connect(ctx), plan, Batch(paths={str(rb): False}))
    assert rep.summary() == "1 playlist imported"
    write_rhythmbox(rb, [("Evening", [str(music / "b.wav")])])  # saved again: the same
    again = apply_changes(connect(ctx), plan, Batch(paths={str(rb): False}))
    assert again.summary() == "1 playlist imported"
    skipped = [p["name"] for p in again.to_dict()["playlists"] if p.get("skipped")]
    assert skipped == ["Recently Added", "Play Queue"]  # --json lists them, as each time


def test_a_playlist_deleted_then_written_anew_unreadable_is_said(ctx, tmp_path: Path):
    """A playlist said not read, then deleted: a file written later at its name, no playlist
    either, was never said (the pair said of the deleted file was kept), the batch empty."""
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "x.wav", seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n")
    scan_library(ctx, [music], [lists])
    plan = WatchPlan(roots=[str(music)], playlist_dirs={str(lists)})
    heard = Batch(paths={str(lists / "a.m3u8"): False})
    (lists / "a.m3u8").write_bytes(b"\x00\x01garbage\xff")
    assert apply_changes(connect(ctx), plan, heard).summary().startswith("1 playlist not read")
    (lists / "a.m3u8").unlink()
    apply_changes(connect(ctx), plan, heard)
    (lists / "a.m3u8").write_bytes(b"\x00\x01garbage\xff")
    anew = apply_changes(connect(ctx), plan, heard)
    assert anew.summary().startswith("1 playlist not read (a.m3u8: not a playlist"), anew.summary()


def test_the_windows_line_says_the_playlist_not_read(ctx, tmp_path: Path):
    from musicsage.controllers.summaries import describe_watch

    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "x.wav", seconds=0.1)
    lists.mkdir()
    (lists / "a.m3u8").write_text("../music/x.wav\n")
    scan_library(ctx, [music], [lists])
    (lists / "a.m3u8").write_bytes(b"\x00\x01garbage\xff")
    plan = WatchPlan(roots=[str(music)], playlist_dirs={str(lists)})
    rep = apply_changes(connect(ctx), plan, Batch(paths={str(lists / "a.m3u8"): False}))
    text, level = describe_watch(rep)
    assert text.startswith("Folder watch: 1 playlist not read (a.m3u8: not a playlist"), text
    assert "imported" not in text and level == "warning"
